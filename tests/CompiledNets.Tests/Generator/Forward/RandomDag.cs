using System.Globalization;
using System.Text;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>
/// A random network in the Forward form over flat tensors: Dense layer calls (some layers called twice: shared
/// weights), Ops activations, concatenations and + - * between tensors of one size, each value read by any later step (fan-out); the
/// values nothing reads are each projected by their own Dense to the output and summed (fan-in), so every value is
/// live. Sizes are drawn from 1, 3 and 17. <see cref="Forward"/> evaluates it in double precision as the reference.
/// </summary>
internal sealed class RandomDag
{
    private static readonly int[] s_sizes = { 1, 3, 17 };
    private static readonly Activation[] s_smooth = { Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.Softplus, Activation.Gelu };

    public sealed record Member(string Name, int Inputs, int Units, Activation Activation, bool Bias);

    /// <summary>One step: a layer call (Member &gt;= 0), an activation ("act"), a concatenation ("cat"), or a binary op ("+", "-", "*").</summary>
    public sealed record Step(string Op, int[] Inputs, int Member, Activation Activation, int Size);

    public int Input { get; }
    public int OutputSize { get; }
    public List<Member> Members { get; } = new();
    public List<Step> Steps { get; } = new();
    public bool SharesWeights { get; private set; }

    public RandomDag(Random random, bool allowSharing)
    {
        Input = s_sizes[random.Next(3)];
        var sizes = new List<int> { Input };
        int count = random.Next(3, 9);
        for (int s = 0; s < count; s++)
        {
            int choice = random.Next(10);
            int a = random.Next(sizes.Count);
            if (choice < 5)
            {
                Member? shared = allowSharing ? Members.Where(m => m.Inputs == sizes[a]).OrderBy(_ => random.Next()).FirstOrDefault() : null;
                if (shared is not null && random.Next(2) == 0)
                {
                    SharesWeights = true;
                    Add(new Step("call", new[] { a }, Members.IndexOf(shared), Activation.Identity, shared.Units), sizes);
                    continue;
                }
                var member = new Member($"layer{Members.Count}", sizes[a], s_sizes[random.Next(3)], s_smooth[random.Next(s_smooth.Length)], random.Next(4) != 0);
                Members.Add(member);
                Add(new Step("call", new[] { a }, Members.Count - 1, Activation.Identity, member.Units), sizes);
            }
            else if (choice == 5)
            {
                int b = random.Next(sizes.Count);
                Add(new Step("cat", new[] { a, b }, -1, Activation.Identity, sizes[a] + sizes[b]), sizes);
            }
            else if (choice < 7)
            {
                Add(new Step("act", new[] { a }, -1, s_smooth[1 + random.Next(s_smooth.Length - 1)], sizes[a]), sizes);
            }
            else
            {
                int[] same = Enumerable.Range(0, sizes.Count).Where(i => sizes[i] == sizes[a]).ToArray();
                int b = same[random.Next(same.Length)];
                Add(new Step(new[] { "+", "-", "*" }[random.Next(3)], new[] { a, b }, -1, Activation.Identity, sizes[a]), sizes);
            }
        }
        OutputSize = s_sizes[random.Next(3)];
        // Every value nothing reads (the input too, when nothing reads it) is projected to the output and summed.
        var read = new HashSet<int>(Steps.SelectMany(s => s.Inputs));
        int[] leaves = Enumerable.Range(0, sizes.Count).Where(v => !read.Contains(v)).ToArray();
        int sum = -1;
        foreach (int leaf in leaves)
        {
            var head = new Member($"head{Members.Count}", sizes[leaf], OutputSize, Activation.Identity, random.Next(2) == 0);
            Members.Add(head);
            int projected = Add(new Step("call", new[] { leaf }, Members.Count - 1, Activation.Identity, OutputSize), sizes);
            sum = sum < 0 ? projected : Add(new Step("+", new[] { sum, projected }, -1, Activation.Identity, OutputSize), sizes);
        }
        Output = sum;
    }

    public int Output { get; }

    private int Add(Step step, List<int> sizes)
    {
        Steps.Add(step);
        sizes.Add(step.Size);
        return sizes.Count - 1;
    }

    /// <summary>The class declaration: members in the order Forward first calls them (which is their parameter order).</summary>
    public string ToDeclaration(string name)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"[Network(Input = {Input})]");
        text.AppendLine(CultureInfo.InvariantCulture, $"public partial class {name}");
        text.AppendLine("{");
        foreach (Member m in Members)
            text.AppendLine(CultureInfo.InvariantCulture, $"    [Dense({m.Units}, Activation.{m.Activation}{(m.Bias ? "" : ", Bias = false")})] private readonly Layer {m.Name};");
        text.AppendLine("    private Tensor Forward(Tensor x)");
        text.AppendLine("    {");
        for (int s = 0; s < Steps.Count; s++)
        {
            Step step = Steps[s];
            string expression = step.Op switch
            {
                "call" => $"{Members[step.Member].Name}({Value(step.Inputs[0])})",
                "act" => $"Ops.{step.Activation}({Value(step.Inputs[0])})",
                "cat" => $"Ops.Concat({Value(step.Inputs[0])}, {Value(step.Inputs[1])})",
                _ => $"{Value(step.Inputs[0])} {step.Op} {Value(step.Inputs[1])}",
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"        var v{s + 1} = {expression};");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"        return {Value(Output)};");
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }

    private static string Value(int v) => v == 0 ? "x" : "v" + v;

    /// <summary>
    /// The outputs for a batch, in double precision. <paramref name="weight"/> and <paramref name="bias"/> give each member's
    /// parameters (row-major [units, inputs]; bias null when it has none).
    /// </summary>
    public double[] Forward(double[] inputs, int batch, Func<int, double[]> weight, Func<int, double[]?> bias)
    {
        var output = new double[batch * OutputSize];
        for (int b = 0; b < batch; b++)
        {
            var values = new List<double[]> { inputs.AsSpan(b * Input, Input).ToArray() };
            foreach (Step step in Steps)
            {
                double[] x = values[step.Inputs[0]];
                double[] y = new double[step.Size];
                switch (step.Op)
                {
                    case "call":
                    {
                        Member m = Members[step.Member];
                        double[] w = weight(step.Member);
                        double[]? c = bias(step.Member);
                        for (int u = 0; u < m.Units; u++)
                        {
                            double z = c?[u] ?? 0;
                            for (int i = 0; i < m.Inputs; i++) z += w[u * m.Inputs + i] * x[i];
                            y[u] = Apply(m.Activation, z);
                        }
                        break;
                    }
                    case "act":
                        for (int i = 0; i < y.Length; i++) y[i] = Apply(step.Activation, x[i]);
                        break;
                    case "cat":
                        x.CopyTo(y, 0);
                        values[step.Inputs[1]].CopyTo(y, x.Length);
                        break;
                    default:
                    {
                        double[] r = values[step.Inputs[1]];
                        for (int i = 0; i < y.Length; i++) y[i] = step.Op == "+" ? x[i] + r[i] : step.Op == "-" ? x[i] - r[i] : x[i] * r[i];
                        break;
                    }
                }
                values.Add(y);
            }
            values[Output].CopyTo(output, b * OutputSize);
        }
        return output;
    }

    private static double Apply(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Tanh => Math.Tanh(z),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Softplus => Math.Log(1 + Math.Exp(z)),
        Activation.Gelu => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
