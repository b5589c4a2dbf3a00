namespace CompiledNets;

/// <summary>What a layer of a compiled network does.</summary>
public enum LayerKind
{
    /// <summary>Affine layer, y = f(x W^T + b), weight [units, inputs] (PyTorch layout).</summary>
    Dense = 0,

    /// <summary>Inverted dropout: active in training only, the identity at inference.</summary>
    Dropout = 1,
}

/// <summary>
/// One layer of a compiled network as the generator planned it, in execution order: enough for a backend that is
/// not the generated C# (an ONNX exporter, a visualiser) to rebuild the network at run time without reflection.
/// </summary>
public sealed class LayerDescription
{
    /// <summary>Creates a layer description (called by generated code).</summary>
    public LayerDescription(LayerKind kind, int inputs, int units, Activation activation, string? weightTensor,
        string? biasTensor, float dropoutRate)
    {
        Kind = kind;
        Inputs = inputs;
        Units = units;
        Activation = activation;
        WeightTensor = weightTensor;
        BiasTensor = biasTensor;
        DropoutRate = dropoutRate;
    }

    /// <summary>Dense or Dropout.</summary>
    public LayerKind Kind { get; }

    /// <summary>Features per sample entering the layer.</summary>
    public int Inputs { get; }

    /// <summary>Features per sample leaving the layer (equal to <see cref="Inputs"/> for Dropout).</summary>
    public int Units { get; }

    /// <summary>The activation of a Dense layer (<see cref="Activation.Identity"/> for Dropout).</summary>
    public Activation Activation { get; }

    /// <summary>Name of the weight in <see cref="INetwork.ParameterTensors"/>; null for Dropout.</summary>
    public string? WeightTensor { get; }

    /// <summary>Name of the bias in <see cref="INetwork.ParameterTensors"/>; null without bias or for Dropout.</summary>
    public string? BiasTensor { get; }

    /// <summary>True when the layer has a bias.</summary>
    public bool HasBias => BiasTensor is not null;

    /// <summary>The dropout rate of a Dropout layer; 0 otherwise.</summary>
    public float DropoutRate { get; }

    /// <inheritdoc />
    public override string ToString() => Kind == LayerKind.Dropout
        ? $"Dropout({DropoutRate}) [{Inputs}]"
        : $"Dense({Units}, {Activation}{(HasBias ? "" : ", Bias = false")}) [{Inputs}] -> [{Units}]";
}
