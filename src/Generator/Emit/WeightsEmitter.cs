using System.Globalization;
using System.Text;
using CompiledNets.Generator.Weights;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Emits a network's embedded weights as a second partial file: the parameter bytes packed into a string literal,
/// which the compiler stores in the assembly (and Native AOT as a frozen string in the binary): no file I/O, nothing
/// to ship beside the binary, and the copy into the parameter buffer is one memory copy.
/// </summary>
internal static class WeightsEmitter
{
    public static string Emit(EmbeddedWeights weights) =>
        GeneratedFile.Write(weights.Type, weights, WriteClass);

    private static void WriteClass(IndentedTextWriter writer, EmbeddedWeights weights)
    {
        string name = weights.Type.Name;
        string keyword = weights.Type.IsRecord ? "record" : "class";
        writer.WriteLine($"partial {keyword} {name}");
        using (writer.WriteBlock())
        {
            writer.WriteLine("/// <summary>The safetensors file whose weights were compiled into this assembly.</summary>");
            writer.WriteLine($"public const string EmbeddedWeightsFile = {String(weights.FileName)};");
            writer.WriteLine();
            writer.WriteLine("/// <summary>Creates the network with the embedded weights: no random initialisation, no file I/O.</summary>");
            writer.WriteLine($"public static {name} FromEmbeddedWeights()");
            using (writer.WriteBlock())
            {
                writer.WriteLine($"var network = new {name}(default(CompiledNetsEmbeddedWeightsTag));");
                writer.WriteLine("network.LoadEmbeddedWeights();");
                writer.WriteLine("return network;");
            }
            writer.WriteLine();
            writer.WriteLine("/// <summary>Overwrites <see cref=\"Parameters\"/> with the embedded weights.</summary>");
            writer.WriteLine("public void LoadEmbeddedWeights()");
            using (writer.WriteBlock())
            {
                writer.WriteLine("global::System.ReadOnlySpan<char> data = CompiledNetsEmbeddedWeights;");
                writer.WriteLine("if (global::System.BitConverter.IsLittleEndian)");
                using (writer.WriteBlock())
                {
                    writer.WriteLine("global::System.Runtime.InteropServices.MemoryMarshal.Cast<char, float>(data).CopyTo(_compiledNetsParameters);");
                    writer.WriteLine("return;");
                }
                writer.WriteLine("for (int i = 0; i < ParameterCount; i++)");
                using (writer.WriteBlock())
                {
                    writer.WriteLine("_compiledNetsParameters[i] = global::System.BitConverter.UInt32BitsToSingle(data[2 * i] | ((uint)data[2 * i + 1] << 16));");
                }
            }
            writer.WriteLine();
            writer.WriteLine("// Skips the seeded initialisation that the public constructor runs: the embedded weights replace it.");
            writer.WriteLine($"private {name}(CompiledNetsEmbeddedWeightsTag tag) {{ }}");
            writer.WriteLine();
            writer.WriteLine("private readonly struct CompiledNetsEmbeddedWeightsTag { }");
            writer.WriteLine();
            writer.WriteLine($"/// <summary>The weights from {weights.FileName}: {Int(weights.ParameterCount)} float32 values in <see cref=\"Parameters\"/> order, as the file's little-endian bytes (on a little-endian machine: x64, arm64).</summary>");
            writer.WriteLine("public static global::System.ReadOnlySpan<byte> EmbeddedWeights => global::System.Runtime.InteropServices.MemoryMarshal.AsBytes(CompiledNetsEmbeddedWeights);");
            writer.WriteLine();
            writer.WriteLine("// The bytes as a string literal, two per UTF-16 code unit (low byte first): one token for the compiler to read,");
            writer.WriteLine("// where a byte-array initialiser of the same data costs it ~50 s per MB (one bound expression per byte), and");
            writer.WriteLine("// read-only data in the binary, as a frozen string under Native AOT.");
            var literal = new StringBuilder(weights.Bytes.Count * 3 + 64);
            literal.Append("private static global::System.ReadOnlySpan<char> CompiledNetsEmbeddedWeights => \"");
            for (int i = 0; i + 1 < weights.Bytes.Count; i += 2)
            {
                int code = weights.Bytes[i] | (weights.Bytes[i + 1] << 8);
                if (code >= 0x20 && code < 0x7F && code != '"' && code != '\\') literal.Append((char)code);
                else literal.Append("\\u").Append(code.ToString("x4", CultureInfo.InvariantCulture));
            }
            literal.Append("\";");
            writer.WriteLine(literal.ToString());
        }
    }
}
