using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>One dense layer of a <see cref="QuantizedWeights"/> snapshot: where its float parameters are and, when it runs in int8, its quantized weight.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // read by generated code and the kernels
public sealed class QuantizedDenseLayer
{
    internal QuantizedDenseLayer(string name, int weightOffset, int biasOffset, int units, int inputs, QuantizedMatrix? matrix)
    {
        Name = name;
        WeightOffset = weightOffset;
        BiasOffset = biasOffset;
        Units = units;
        Inputs = inputs;
        Matrix = matrix;
    }

    /// <summary>The layer's tensor-name prefix (<c>dense{i}</c>).</summary>
    public string Name { get; }

    /// <summary>Start of the float weight in the snapshot's parameters.</summary>
    public int WeightOffset { get; }

    /// <summary>Start of the bias in the snapshot's parameters (-1: no bias).</summary>
    public int BiasOffset { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool HasBias => BiasOffset >= 0;

    /// <summary>Outputs (weight rows).</summary>
    public int Units { get; }

    /// <summary>Inputs (weight columns).</summary>
    public int Inputs { get; }

    /// <summary>The int8 weight, or null when the layer runs in float.</summary>
    public QuantizedMatrix? Matrix { get; }
}
