using System.Globalization;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>How plan values are spelled in C#: literals, runtime type names and buffer slices.</summary>
internal static class CSharpCode
{
    public const string Kernels = "global::CompiledNets.Kernels";
    public const string Span = "global::System.Span<float>";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string ArgumentException = "global::System.ArgumentException";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A float's shortest round-trip digits as a double literal: 0.2f -> 0.2, which converts back to the same float.</summary>
    public static string FloatAsDouble(float value)
    {
        string digits = value.ToString("R", CultureInfo.InvariantCulture);
        return digits.IndexOfAny(new[] { '.', 'E' }) >= 0 ? digits : digits + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string String(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string ActivationValue(Activation activation) => "global::CompiledNets.Activation." + activation;

    public static string KernelType(Activation activation) => Kernels + "." + ActivationCatalog.Get(activation).KernelTypeName;

    /// <summary>A [batchSize, size] tensor as a span expression (workspace regions are planned per sample).</summary>
    public static string Slice(BufferRef buffer) => buffer.Space switch
    {
        BufferSpace.NetworkInput => "inputs",
        BufferSpace.NetworkOutput => "outputs",
        _ => buffer.OffsetPerSample == 0
            ? $"workspace.Slice(0, {Int(buffer.SizePerSample)} * batchSize)"
            : $"workspace.Slice({Int(buffer.OffsetPerSample)} * batchSize, {Int(buffer.SizePerSample)} * batchSize)",
    };

    public static string OptionalSlice(BufferRef? buffer) => buffer is null ? "default" : Slice(buffer);

    public static string ParameterSlice(string buffer, int offset, int length) => $"{buffer}.Slice({Int(offset)}, {Int(length)})";

    /// <summary>The run-time metadata type of a node (<c>IDescribedNetwork.Layers</c>).</summary>
    public const string Description = "global::CompiledNets.LayerDescription";

    public static string SampleShape(SampleShapePlan shape) =>
        $"new global::CompiledNets.SampleShape({Int(shape.Channels)}, {Int(shape.Height)}, {Int(shape.Width)}, global::CompiledNets.SampleLayout.{shape.Layout})";

    /// <summary>The entries of the Layers list a node reads (-1: the network input), as an int[] expression.</summary>
    public static string Sources(NodePlan node) => "new int[] { " + string.Join(", ", System.Linq.Enumerable.Select(node.Inputs, Int)) + " }";
}
