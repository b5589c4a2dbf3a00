using System.Globalization;
using System.Text;
using CompiledNets.Tests.Hardening;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// Issue 15's declaration fuzzer: random declarations built from the real attribute set (every layer attribute and
/// its named settings, every activation plus casts outside the enum, PaddingMode casts, extreme sizes), type shapes
/// (records with and without primary constructors, file-local, generic, nested, static, abstract, not partial,
/// structs), names (escaped keywords, names and namespaces that differ only in case, non-ASCII, very long) and user
/// members named like generated ones. The generator runs in-process over many declarations per compilation, each in
/// its own file and namespace. It must never throw or report CN0018, and every file it generates must compile.
/// </summary>
/// <remarks>
/// CI runs <see cref="CiDeclarations"/> declarations (5 compilations); <c>FUZZ_DECLARATIONS=10000</c> (and
/// optionally <c>FUZZ_SEED</c>) runs the full campaign of issue 15 (50 compilations). The seed of a failing batch is
/// in the failure message.
/// </remarks>
public class DeclarationFuzzTests(ITestOutputHelper output)
{
    private const int CiDeclarations = 1_000;
    private const int PerCompilation = 200;

    private static readonly string[] s_activations = Enum.GetNames<Activation>().Select(n => "Activation." + n)
        .Concat(["(Activation)99", "(Activation)(-1)", "(Activation)int.MaxValue"]).ToArray();

    private static readonly string[] s_names =
    [
        "Net", "NET", "net", "@class", "@event", "@record", "@var", "Ünïcödé", "Net_1", "_", "N" + new string('x', 200), "Predict",
    ];

    [Fact]
    public void RandomDeclarationsNeverBreakTheGenerator()
    {
        int total = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_DECLARATIONS"), out int requested) && requested > 0 ? requested : CiDeclarations;
        int baseSeed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out int seed) ? seed : 15;
        int batches = (total + PerCompilation - 1) / PerCompilation;
        int generated = 0, diagnosed = 0, declarations = 0;
        var failures = new List<string>();
        for (int batch = 0; batch < batches; batch++)
        {
            int batchSeed = baseSeed * 100_003 + batch;
            var random = new Random(batchSeed);
            int count = Math.Min(PerCompilation, total - declarations);
            string[] sources = Enumerable.Range(0, count).Select(i => Declaration(random, batch, i)).ToArray();
            declarations += count;

            GeneratorOutcome outcome = GeneratorHarness.Run(sources);
            generated += outcome.Sources.Count;
            diagnosed += outcome.GeneratorDiagnostics.Count(d => d.Id.StartsWith("CN", StringComparison.Ordinal));
            string reproduce = $"FUZZ_SEED={baseSeed} batch {batch} (batch seed {batchSeed})";
            if (!outcome.Exceptions.IsEmpty)
                failures.Add($"{reproduce}: generator threw {string.Join("; ", outcome.Exceptions)}");
            foreach (Diagnostic internalError in outcome.GeneratorDiagnostics.Where(d => d.Id == "CN0018"))
                failures.Add($"{reproduce}: {internalError} in\n{SourceOf(internalError, sources)}");
            foreach (SyntaxTree tree in outcome.Compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)))
            {
                Diagnostic[] errors = outcome.Compilation.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                if (errors.Length > 0)
                    failures.Add($"{reproduce}: generated {Path.GetFileName(tree.FilePath)} does not compile: {string.Join("; ", errors.Take(3))}");
            }

            if (failures.Count > 10) break;
        }

        output.WriteLine($"{declarations} declarations in {batches} compilations: {generated} files generated, {diagnosed} CN diagnostics, {failures.Count} failures (FUZZ_SEED={baseSeed})");
        CampaignFigures.Record("Random network declarations (generator fuzzer)", declarations, declarations - failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // Both paths must be exercised, or the fuzzer proves nothing.
        Assert.True(generated > declarations / 10, $"only {generated} of {declarations} declarations generated code");
        Assert.True(diagnosed > declarations / 10, $"only {diagnosed} diagnostics for {declarations} declarations");
    }

    private static string SourceOf(Diagnostic diagnostic, string[] sources)
    {
        string? path = diagnostic.Location.SourceTree?.FilePath;
        return path is not null && path.StartsWith("Source", StringComparison.Ordinal) && int.TryParse(path[6..^3], out int index)
            ? sources[index]
            : "(no location)";
    }

    /// <summary>One declaration in its own namespace (sometimes a twin of another's but for case, or a keyword).</summary>
    private static string Declaration(Random random, int batch, int index)
    {
        var text = new StringBuilder("using CompiledNets;\n");
        string ns = random.Next(10) switch
        {
            0 => $"F{batch}.n{index / 2}", // "F0.n3" and "F0.N3" differ only in case
            1 => $"F{batch}.@event.X{index}",
            2 => "",
            _ => $"F{batch}.N{index / 2}.I{index % 2}",
        };
        if (random.Next(10) == 0 && ns.Length > 0) ns = ns.Replace($"F{batch}.N{index / 2}", $"F{batch}.N{index / 2}".ToLowerInvariant(), StringComparison.Ordinal);
        if (ns.Length > 0) text.Append("namespace ").Append(ns).Append(";\n");

        string name = Pick(random, s_names);
        if (ns.Length == 0) name = "G" + batch.ToString(CultureInfo.InvariantCulture) + "_" + index.ToString(CultureInfo.InvariantCulture);
        else if (ns.StartsWith($"F{batch}.n", StringComparison.Ordinal) || random.Next(3) == 0) name = index % 2 == 0 ? "Net" : "NET";

        string attributes = random.Next(3) == 0 ? ArbitraryAttributes(random) : PlausibleAttributes(random);
        string members = Members(random);
        string declaration = random.Next(14) switch
        {
            0 => $"partial record {name}({Pick(random, ["int Width", "string Label"])}){members}",
            1 => $"public partial record {name}{members}",
            2 => $"file partial class {name}{members}",
            3 => $"public partial class {name}<T>{members}",
            4 => $"public static partial class {name}{members}",
            5 => $"public abstract partial class {name}{members}",
            6 => $"public class {name}{members}",
            7 => $"public partial struct {name}{members}",
            8 => $"partial class {name}(int width){members}",
            9 => $"internal sealed partial class {name}{members}",
            _ => $"public partial class {name}{members}",
        };
        if (random.Next(20) == 0) return text + $"public partial class Outer{index} {{ {attributes} {declaration} }}\n";
        if (random.Next(25) == 0) attributes = attributes.Replace("[Network", "[System.Obsolete", StringComparison.Ordinal); // layers without [Network]
        return text + attributes + "\n" + declaration + "\n";
    }

    private static string Members(Random random) => random.Next(6) switch
    {
        0 => " { public int " + Pick(random, ["Predict", "ForwardTraining", "Parameters", "InputSize", "Layers", "Dense0Weight", "Outputs", "Unrelated"]) + "; }",
        1 => " { public int Predict(float[] x) => x.Length; }",
        2 => " { public void Backward() { } }",
        3 => " { public " + Pick(random, ["Net", "NET"]) + "() { } }",
        _ => ";",
    };

    /// <summary>Valid more often than not, so that the emitters (and the compile of their output) are fuzzed.</summary>
    private static string PlausibleAttributes(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(2) == 0)
        {
            text.Append($"[Network(Input = {Pick(random, ["1", "2", "3", "7", "17"])})]");
            int layers = 1 + random.Next(3);
            for (int i = 0; i < layers; i++)
            {
                if (random.Next(5) == 0) text.Append($"[Dropout({Pick(random, ["0.5", "0.25", "0.1"])})]");
                bool last = i == layers - 1;
                string activation = last ? Pick(random, ["Activation.Softmax", "Activation.Sigmoid", "Activation.Identity", "Activation.Tanh"]) : Pick(random, ["Activation.Relu", "Activation.Tanh", "Activation.Gelu", "Activation.Identity"]);
                text.Append(last && random.Next(2) == 0 ? "[Output(" : "[Dense(").Append(Pick(random, ["1", "2", "3", "5"])).Append(", ").Append(activation)
                    .Append(random.Next(4) == 0 ? ", Bias = false" : "").Append(")]");
            }
            return text.ToString();
        }

        text.Append($"[Network(Shape = new[] {{ {Pick(random, ["1", "2", "3"])}, {Pick(random, ["5", "6", "8"])}, {Pick(random, ["5", "6", "7"])} }})]");
        text.Append($"[Conv2D({Pick(random, ["1", "2", "4"])}, {Pick(random, ["1", "2", "3"])}, Activation.Relu{Pick(random, ["", ", Mode = PaddingMode.Same", ", Padding = 1", ", Stride = 2"])})]");
        if (random.Next(3) == 0) text.Append("[BatchNorm]");
        text.Append(Pick(random, ["[MaxPool2D(2)]", "[AvgPool2D(2)]", "", ""]));
        text.Append(random.Next(3) == 0 ? "[GlobalAvgPool2D]" : "[Flatten]");
        text.Append($"[Dense({Pick(random, ["1", "3", "4"])}{Pick(random, ["", ", Activation.Softmax", ", Activation.Sigmoid"])})]");
        return text.ToString();
    }

    /// <summary>Anything the attribute set accepts syntactically, in any order, with extreme and out-of-range values.</summary>
    private static string ArbitraryAttributes(Random random)
    {
        var text = new StringBuilder();
        text.Append(random.Next(6) switch
        {
            0 => "",
            1 => $"[Network(Input = {Number(random)})]",
            2 => $"[Network(Shape = new[] {{ {string.Join(", ", Enumerable.Range(0, random.Next(5)).Select(_ => Number(random)))} }})]",
            3 => $"[Network(Input = {Number(random)}, Shape = new[] {{ {Number(random)}, {Number(random)}, {Number(random)} }})]",
            4 => "[Network]",
            _ => $"[Network(Shape = new[] {{ 1, {Number(random)}, {Number(random)} }})]",
        });
        int layers = random.Next(6);
        for (int i = 0; i < layers; i++)
        {
            text.Append(random.Next(10) switch
            {
                0 => $"[Dense({Number(random)}, {Pick(random, s_activations)}{Pick(random, ["", ", Bias = false"])})]",
                1 => $"[Output({Number(random)}{(random.Next(2) == 0 ? ", " + Pick(random, s_activations) : "")})]",
                2 => $"[Dropout({Pick(random, ["0.5", "0", "1", "-0.5", "double.NaN", "double.PositiveInfinity", "2"])})]",
                3 => $"[Conv2D({Number(random)}, {Number(random)}, {Pick(random, s_activations)}, Stride = {Number(random)}, Padding = {Number(random)}, Dilation = {Number(random)}, Mode = {Pick(random, ["PaddingMode.Same", "PaddingMode.Explicit", "(PaddingMode)7", "(PaddingMode)(-1)"])})]",
                4 => $"[Conv2D({Number(random)}, {Number(random)}, PaddingTop = {Number(random)}, PaddingRight = {Number(random)})]",
                5 => $"[MaxPool2D({Number(random)}{Pick(random, ["", ", Stride = 0", ", Stride = -1", ", Stride = 2"])})]",
                6 => $"[AvgPool2D({Number(random)})]",
                7 => Pick(random, ["[Flatten]", "[GlobalAvgPool2D]"]),
                8 => $"[BatchNorm(Momentum = {Pick(random, ["0.1", "-1", "2", "double.NaN"])}, Epsilon = {Pick(random, ["1e-5", "0", "-1", "double.PositiveInfinity"])})]",
                _ => $"[PositionBias({Pick(random, s_activations)})]",
            });
        }
        return text.ToString();
    }

    private static string Number(Random random) => random.Next(4) == 0
        ? Pick(random, ["0", "-1", "int.MaxValue", "int.MinValue", "65536", "100000", "1000000000"])
        : Pick(random, ["1", "2", "3", "4", "5", "8"]);

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
