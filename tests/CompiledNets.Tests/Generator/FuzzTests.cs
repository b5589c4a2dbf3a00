using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// The generator must never throw: random (seeded) attribute sets, wrong argument types, extreme numbers,
/// casts to undefined activations and broken syntax all end in diagnostics, never in an exception or an
/// internal-error diagnostic, and whatever code it does emit compiles.
/// </summary>
public class FuzzTests
{
    private static readonly string[] s_numbers =
    {
        "0", "1", "3", "17", "-1", "-100", "int.MaxValue", "int.MinValue", "65536", "100000", "1000000000", "2", "5",
    };

    private static readonly string[] s_activations =
    {
        "Activation.Relu", "Activation.Softmax", "Activation.Step", "Activation.Sign", "Activation.Tanh", "Activation.Identity",
        "(Activation)12", "(Activation)(-1)", "(Activation)int.MaxValue", "(Activation)3", "Activation.Gelu", "7", "\"Relu\"",
    };

    private static readonly string[] s_rates =
    {
        "0.5", "0", "1", "-0.5", "double.NaN", "double.PositiveInfinity", "0.999999", "1e-300", "\"half\"", "0.1f", "2",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomSourcesNeverBreakTheGenerator(int seed)
    {
        var random = new Random(seed);
        int generated = 0, diagnosed = 0;
        for (int i = 0; i < 50; i++)
        {
            var source = new StringBuilder("using CompiledNets;\nnamespace Fuzz;\n");
            for (int n = 0; n < 3; n++) source.Append(RandomNetwork(random, $"Net{n}"));
            string text = random.Next(6) == 0 ? Corrupt(source.ToString(), random) : source.ToString();

            GeneratorOutcome outcome = GeneratorHarness.Run(text);
            generated += outcome.Sources.Count;
            diagnosed += outcome.GeneratorDiagnostics.Length;

            Assert.True(outcome.Exceptions.IsEmpty, $"generator threw on:\n{text}\n{string.Join("\n", outcome.Exceptions)}");
            Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
            // Only the generated trees are compiled: the user's code is broken on purpose.
            Diagnostic[] generatedErrors = outcome.Compilation.SyntaxTrees
                .Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                .SelectMany(t => outcome.Compilation.GetSemanticModel(t).GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToArray();
            Assert.True(generatedErrors.Length == 0, $"generated code does not compile for:\n{text}\n{string.Join("\n", generatedErrors.Select(e => e.ToString()))}");
        }
        // The fuzzer must exercise both paths, or it proves nothing.
        Assert.True(generated > 5, $"only {generated} networks generated");
        Assert.True(diagnosed > 20, $"only {diagnosed} diagnostics");
    }

    private static string RandomNetwork(Random random, string name) =>
        random.Next(2) == 0 ? PlausibleNetwork(random, name) : ArbitraryNetwork(random, name);

    /// <summary>A network that is valid more often than not, so the emit path is fuzzed too.</summary>
    private static string PlausibleNetwork(Random random, string name)
    {
        var text = new StringBuilder("[Network(Input = " + Pick(random, new[] { "1", "2", "3", "17", "0" }) + ")]");
        int layers = 1 + random.Next(4);
        for (int i = 0; i < layers; i++)
        {
            if (random.Next(4) == 0) text.Append("[Dropout(" + Pick(random, new[] { "0.5", "0", "0.25", "1" }) + ")]");
            string units = Pick(random, new[] { "1", "3", "17", "-1" });
            string activation = Pick(random, new[] { "Activation.Relu", "Activation.Tanh", "Activation.Step", "Activation.Gelu", "Activation.Identity", "Activation.Softmax" });
            bool last = i == layers - 1;
            text.Append(last && random.Next(2) == 0 ? "[Output(" : "[Dense(");
            text.Append(units + ", " + activation + (random.Next(3) == 0 ? ", Bias = false" : "") + ")]");
        }
        return text + "\n" + Pick(random, new[] { "public partial class", "partial class", "internal sealed partial class", "public partial record" }) + " " + name + (random.Next(5) == 0 ? "(string label)" : "") + ";\n";
    }

    private static string ArbitraryNetwork(Random random, string name)
    {
        var text = new StringBuilder();
        text.Append(random.Next(8) switch
        {
            0 => "[Network]",
            1 => "[Network(Input = \"wide\")]",
            2 => "",
            3 => "[Network(Input = " + Pick(random, s_numbers) + "), Network(Input = 2)]",
            _ => "[Network(Input = " + Pick(random, s_numbers) + ")]",
        });
        int layers = random.Next(7);
        for (int i = 0; i < layers; i++) text.Append(RandomLayer(random));
        text.Append('\n');
        string modifiers = Pick(random, new[] { "public partial", "partial", "public", "static partial", "abstract partial", "sealed partial", "public partial" });
        string kind = Pick(random, new[] { "class", "class", "class", "class", "class", "class", "record", "record class", "record struct", "struct", "interface" });
        string generic = Pick(random, new[] { "", "", "", "", "", "", "", "<T>", "(string label)", "(int seed)" });
        string declaration = $"{modifiers} {kind} {name}{generic} {{ }}\n";
        if (random.Next(10) == 0) declaration = $"public partial class Outer{name} {{ {text} {declaration} }}\n";
        else declaration = text + declaration;
        if (random.Next(10) == 0) declaration += $"[Dense(2)] partial class {name}{generic} {{ }}\n";
        return declaration;
    }

    private static string RandomLayer(Random random) => random.Next(12) switch
    {
        0 => "[Dense]",
        1 => "[Dense(" + Pick(random, s_numbers) + ")]",
        2 => "[Dense(" + Pick(random, s_numbers) + ", " + Pick(random, s_activations) + ")]",
        3 => "[Dense(" + Pick(random, s_numbers) + ", " + Pick(random, s_activations) + ", Bias = " + Pick(random, new[] { "false", "true", "1" }) + ")]",
        4 => "[Dense(1.5)]",
        5 => "[Dropout(" + Pick(random, s_rates) + ")]",
        6 => "[Dropout]",
        7 => "[Output(" + Pick(random, s_numbers) + ", " + Pick(random, s_activations) + ")]",
        8 => "[Output(" + Pick(random, s_numbers) + ")]",
        9 => "[Dense(" + Pick(random, s_numbers) + ", Activation.Relu)][Dropout(0.5)]",
        10 => "[Dense(Units = 3)]",
        _ => "[Dense(" + Pick(random, s_numbers) + ", " + Pick(random, s_activations) + ")]",
    };

    private static string Corrupt(string source, Random random) => random.Next(3) switch
    {
        0 => source.Substring(0, random.Next(source.Length)),
        1 => source.Insert(random.Next(source.Length), Pick(random, new[] { "(", ")", "]", "[", "{", "\"", ",", ";" })),
        _ => source.Remove(random.Next(source.Length - 1), 1),
    };

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
