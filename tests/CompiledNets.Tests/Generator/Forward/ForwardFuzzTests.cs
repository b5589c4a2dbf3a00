using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>
/// The Forward front end fuzzed: random valid networks (convolutions, batch norm, pooling, shared layers, + - *,
/// activations, flatten, global pooling, dense heads) and the same networks broken in one of many ways, all in one
/// compilation per seed to stay fast. Never an exception or an internal error; every broken network rejected with a
/// located diagnostic inside its own class; every valid one generated, and generated code that compiles.
/// </summary>
public class ForwardFuzzTests
{
    private const int NetworksPerSeed = 40;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomAndMalformedForwardMethods(int seed)
    {
        var random = new Random(seed);
        var cases = new List<(string Name, string Source, string Mutation)>();
        for (int i = 0; i < NetworksPerSeed; i++)
        {
            string name = $"Fuzz{i}";
            string mutation = random.Next(3) == 0 ? "none" : s_mutations[random.Next(s_mutations.Length)];
            cases.Add((name, RandomNetwork(random, name, mutation), mutation));
        }
        string source = "using CompiledNets;\nnamespace Fuzzed;\n\n" + string.Concat(cases.Select(c => c.Source + "\n"));
        string failure = $"seed {seed} (rerun RandomAndMalformedForwardMethods({seed}))";

        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Assert.True(outcome.Exceptions.IsEmpty, $"{failure}: {string.Join("\n", outcome.Exceptions)}");
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
        Assert.All(outcome.GeneratorDiagnostics, d => Assert.True(d.Location.GetLineSpan().Path == "Source0.cs" && d.Location.SourceSpan.End <= source.Length,
            $"{failure}: {d} has no location in the source"));
        Assert.Empty(outcome.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error
            && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));

        string all = source;
        foreach ((string name, string networkSource, string mutation) in cases)
        {
            int start = all.IndexOf(networkSource, StringComparison.Ordinal);
            var span = new TextSpan(start, networkSource.Length);
            Diagnostic[] errors = outcome.GeneratorDiagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error && span.Contains(d.Location.SourceSpan)).ToArray();
            bool generated = outcome.Sources.Any(s => s.HintName.EndsWith($".{name}.g.cs", StringComparison.Ordinal));
            string context = $"{failure}, {name} ({mutation}):\n{networkSource}\n{string.Join("\n", errors.Select(e => e.ToString()))}";
            if (mutation == "none")
            {
                Assert.True(generated && errors.Length == 0, "a valid network was rejected: " + context);
            }
            else
            {
                Assert.False(generated, "a broken network was accepted: " + context);
                Assert.True(errors.Length > 0, "a broken network was rejected without a CN diagnostic in its class: " + context);
            }
        }
    }

    private static readonly string[] s_mutations =
    {
        "if", "loop", "literal", "helper", "unknown", "lambda", "naked", "twoForwards", "signature", "returnInput",
        "mismatch", "softmaxHidden", "badActivation", "concat", "afterReturn", "uninitialized", "truncate", "sharedMismatch",
    };

    private sealed record Value(string Name, int C, int H, int W, bool Spatial, bool ChannelsFirst)
    {
        public int Size => C * H * W;
        public string Layout => !Spatial || C == 1 || H * W == 1 ? "any" : ChannelsFirst ? "chw" : "hwc";
        public bool Matches(Value other) => Spatial == other.Spatial && C == other.C && H == other.H && W == other.W && (Layout == other.Layout || Layout == "any" && other.Layout == "any");
    }

    /// <summary>A valid random network, then broken by <paramref name="mutation"/> (unless "none").</summary>
    private static string RandomNetwork(Random random, string name, string mutation)
    {
        bool spatial = random.Next(2) == 0;
        int c = 1 + random.Next(3), h = 3 + random.Next(5), w = 3 + random.Next(5);
        var members = new List<(string Declaration, string Name, Value? Input)>();
        var body = new List<string>();
        var values = new List<Value> { spatial ? new Value("x", c, h, w, true, true) : new Value("x", 3 + random.Next(15), 1, 1, false, false) };
        int steps = random.Next(2, 8);
        for (int s = 0; s < steps; s++)
        {
            Value a = values[random.Next(values.Count)];
            string v = $"v{s}";
            int choice = random.Next(9);
            if (choice == 0 && members.FirstOrDefault(m => m.Input is not null && m.Input with { Name = "" } == a with { Name = "" }) is { Name: not null } shared
                && !shared.Declaration.Contains("Dense", StringComparison.Ordinal) && !shared.Declaration.Contains("Conv2D", StringComparison.Ordinal))
            {
                body.Add($"var {v} = {shared.Name}({a.Name});"); // a parameter-free or shape-preserving shared layer
                values.Add(a with { Name = v });
            }
            else if (choice <= 2 && a.Spatial)
            {
                int filters = 1 + random.Next(4), k = random.Next(2) == 0 ? 1 : 3;
                string m = $"conv{members.Count}";
                members.Add(($"[Conv2D({filters}, {k}, Activation.{Smooth(random)}, Padding = {k / 2})] private readonly Layer {m};", m, a));
                body.Add($"var {v} = {m}({a.Name});");
                values.Add(new Value(v, filters, a.H, a.W, true, false));
            }
            else if (choice == 3 && a.Spatial)
            {
                string m = $"norm{members.Count}";
                members.Add(($"[BatchNorm] private readonly Layer {m};", m, a));
                body.Add($"var {v} = {m}({a.Name});");
                values.Add(a with { Name = v });
            }
            else if (choice == 4)
            {
                body.Add($"var {v} = Ops.{Smooth(random)}({a.Name});");
                values.Add(a with { Name = v });
            }
            else if (choice == 5)
            {
                Value b = values.Where(o => o.Matches(a)).OrderBy(_ => random.Next()).First();
                body.Add($"var {v} = {a.Name} {"+-*"[random.Next(3)]} {b.Name};");
                values.Add(a with { Name = v });
            }
            else if (choice == 7 && values.FirstOrDefault(o => o.Spatial == a.Spatial && o.H == a.H && o.W == a.W
                && (o.Layout == a.Layout || o.Layout == "any" || a.Layout == "any")) is Value b)
            {
                body.Add($"var {v} = Ops.Concat({a.Name}, {b.Name});");
                bool first = a.Layout == "any" ? b.Layout == "any" ? a.ChannelsFirst : b.ChannelsFirst : a.ChannelsFirst;
                values.Add(a.Spatial ? new Value(v, a.C + b.C, a.H, a.W, true, first) : new Value(v, a.C + b.C, 1, 1, false, false));
            }
            else if (choice == 6 && a.Spatial)
            {
                bool pool = random.Next(2) == 0;
                body.Add($"var {v} = Ops.{(pool ? "GlobalAvgPool" : "Flatten")}({a.Name});");
                values.Add(pool ? new Value(v, a.C, 1, 1, false, false) : new Value(v, a.Size, 1, 1, false, false));
            }
            else if (!a.Spatial)
            {
                int units = 1 + random.Next(17);
                string m = $"dense{members.Count}";
                members.Add(($"[Dense({units}, Activation.{Smooth(random)})] private readonly Layer {m};", m, a));
                body.Add($"var {v} = {m}({a.Name});");
                values.Add(new Value(v, units, 1, 1, false, false));
            }
        }
        Value last = values[^1];
        string final = last.Spatial ? $"Ops.Flatten({last.Name})" : last.Name;
        members.Add(("[Dense(2)] private readonly Layer head;", "head", null));
        string returned = $"head({final})";
        var extraMembers = new List<string>();

        switch (mutation)
        {
            case "if": body.Insert(0, "if (x == null) return x;"); break;
            case "loop": body.Insert(0, "for (int i = 0; i < 2; i++) { }"); break;
            case "literal": body.Add($"var bad = {last.Name} * 2f;"); break;
            case "helper": body.Add($"var bad = Helper({last.Name});"); extraMembers.Add("private Tensor Helper(Tensor t) => t;"); break;
            case "unknown": body.Add("var bad = unknownName;"); break;
            case "lambda": body.Add("System.Func<Tensor, Tensor> bad = t => t;"); break;
            case "naked": extraMembers.Add("private readonly Layer naked;"); returned = $"head(naked({final}))"; break;
            case "twoForwards": extraMembers.Add("private Tensor Forward(Tensor x, Tensor y) => x;"); break;
            case "signature": break; // below
            case "returnInput": returned = "x"; break;
            case "mismatch": returned = $"head({final}) + x"; break; // [2] vs the input (never 2 values: flat inputs have 3+)
            case "softmaxHidden": returned = $"head(Ops.Softmax({final}))"; break;
            case "badActivation": returned = $"head(Ops.Apply({final}, (Activation)77))"; break;
            case "concat": returned = spatial ? $"head(Ops.Concat({final}, x))" : "x"; break; // flat with 3-D (or returnInput)
            case "afterReturn": break; // below
            case "uninitialized": body.Add("Tensor bad;"); break;
            case "truncate": break; // below
            case "sharedMismatch": returned = $"head(head({final}))"; break; // [2] after the first call
        }
        if (mutation == "sharedMismatch" && last.Size == 2 && !last.Spatial) returned = "x"; // head(head(...)) would be valid

        var text = new StringBuilder();
        text.AppendLine(spatial ? $"[Network(Shape = new[] {{ {c}, {h}, {w} }})]" : $"[Network(Input = {values[0].Size})]");
        text.AppendLine($"public partial class {name}");
        text.AppendLine("{");
        foreach ((string declaration, _, _) in members) text.AppendLine("    " + declaration);
        foreach (string extra in extraMembers) text.AppendLine("    " + extra);
        text.AppendLine(mutation == "signature" ? "    private Tensor Forward(Tensor x, int unused)" : "    private Tensor Forward(Tensor x)");
        text.AppendLine("    {");
        foreach (string line in body) text.AppendLine("        " + line);
        text.AppendLine($"        return {returned};");
        if (mutation == "afterReturn") text.AppendLine("        x = head(x);");
        text.AppendLine("    }");
        text.AppendLine("}");
        string result = text.ToString();
        if (mutation == "truncate")
        {
            // Cut the method body short at a random point inside it and close the braces: malformed syntax.
            int open = result.IndexOf("    {", result.IndexOf("Forward(", StringComparison.Ordinal), StringComparison.Ordinal) + 5;
            int close = result.LastIndexOf("        return", StringComparison.Ordinal);
            int cut = open + random.Next(Math.Max(1, close - open));
            result = result.Substring(0, cut) + " head(\n    }\n}\n";
        }
        return result;
    }

    private static string Smooth(Random random) => new[] { "Tanh", "Relu", "Sigmoid", "Gelu", "Elu" }[random.Next(5)];
}
