using System.Globalization;
using System.Text;

namespace CompiledNets.Tests.Generator;

internal abstract record SpecLayer;

internal sealed record DenseSpec(int Units, Activation Activation, bool Bias = true, bool IsOutputAttribute = false) : SpecLayer;

internal sealed record DropoutSpec(double Rate) : SpecLayer;

/// <summary>An affine layer with its place in the parameter buffer, as the test expects the generator to plan it.</summary>
internal sealed record DenseLayout(int Index, int Inputs, int Units, Activation Activation, int WeightOffset, int BiasOffset)
{
    public bool HasBias => BiasOffset >= 0;
}

/// <summary>
/// A network described independently of the generator: it renders the attributes to compile and drives the
/// scalar reference, so the generated code is checked against a second, plain reading of the same model.
/// </summary>
internal sealed class NetworkSpec
{
    private static readonly Activation[] s_trainableActivations = Enum.GetValues<Activation>()
        .Where(a => a != Activation.Softmax && !ActivationCatalog.Get(a).HasZeroGradient)
        .ToArray();

    private static readonly int[] s_widths = { 1, 3, 17, 129 };

    public NetworkSpec(int input, params SpecLayer[] layers)
    {
        Input = input;
        Layers = layers;
        var dense = new List<DenseLayout>();
        int width = input, offset = 0;
        foreach (DenseSpec layer in layers.OfType<DenseSpec>())
        {
            int weight = offset;
            offset += layer.Units * width;
            int bias = layer.Bias ? offset : -1;
            if (layer.Bias) offset += layer.Units;
            dense.Add(new DenseLayout(dense.Count, width, layer.Units, layer.Activation, weight, bias));
            width = layer.Units;
        }
        Dense = dense;
        ParameterCount = offset;
    }

    public int Input { get; }

    public IReadOnlyList<SpecLayer> Layers { get; }

    public IReadOnlyList<DenseLayout> Dense { get; }

    public int ParameterCount { get; }

    public int OutputSize => Dense[^1].Units;

    public Activation OutputActivation => Dense[^1].Activation;

    public bool HasDropout => Layers.Any(l => l is DropoutSpec);

    public string ToDeclaration(string name)
    {
        var text = new StringBuilder($"[Network(Input = {Input})]\n");
        foreach (SpecLayer layer in Layers)
        {
            text.Append(layer switch
            {
                DropoutSpec d => $"[Dropout({d.Rate.ToString("R", CultureInfo.InvariantCulture)})]\n",
                DenseSpec d => $"[{(d.IsOutputAttribute ? "Output" : "Dense")}({d.Units}, Activation.{d.Activation}{(d.Bias ? "" : ", Bias = false")})]\n",
                _ => throw new InvalidOperationException(),
            });
        }
        return text + $"public partial class {name};\n";
    }

    /// <summary>Depth 1-4, widths from {1, 3, 17, 129} or random, trainable activations, Softmax output or not.</summary>
    public static NetworkSpec Random(Random random)
    {
        int Width() => random.Next(3) == 0 ? 1 + random.Next(40) : s_widths[random.Next(s_widths.Length)];
        int depth = 1 + random.Next(4);
        var layers = new List<SpecLayer>();
        if (random.Next(6) == 0) layers.Add(new DropoutSpec(0.2));
        for (int i = 0; i < depth; i++)
        {
            bool last = i == depth - 1;
            Activation activation = last && random.Next(3) == 0
                ? Activation.Softmax
                : s_trainableActivations[random.Next(s_trainableActivations.Length)];
            int units = last && activation == Activation.Softmax ? Math.Max(2, Width()) : Width();
            layers.Add(new DenseSpec(units, activation, Bias: random.Next(4) != 0, IsOutputAttribute: last && random.Next(2) == 0));
            if (!last && random.Next(4) == 0) layers.Add(new DropoutSpec(new[] { 0.1, 0.3, 0.5 }[random.Next(3)]));
        }
        return new NetworkSpec(Width(), layers.ToArray());
    }

    public override string ToString() => ToDeclaration("Spec").Replace('\n', ' ');
}
