using CompiledNets.Generator.Graph;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// An [Embedding]: a table [Vocabulary, Dimension] at <paramref name="WeightOffset"/>, read with <paramref name="Steps"/> token
/// ids per sample. <paramref name="Index"/> counts embeddings from 0 and names the tensor (embedding{Index}.weight).
/// </summary>
internal sealed record EmbeddingLayerPlan(int Index, int SourceLayerNumber, int Steps, int Vocabulary, int Dimension, int WeightOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";

    public int WeightLength => Vocabulary * Dimension;
}

/// <summary>
/// An [Lstm], [Gru] or [SimpleRnn] over <paramref name="Steps"/> steps of <paramref name="Inputs"/> features, with PyTorch's
/// tensors weight_ih_l0 [gates x Hidden, Inputs], weight_hh_l0 [gates x Hidden, Hidden], bias_ih_l0 and bias_hh_l0 [gates x
/// Hidden], contiguous in that order (bias offsets -1: no biases). <paramref name="Index"/> is its place in the plan's list of
/// recurrent layers; <paramref name="Name"/> the tensors' prefix (lstm0, gru0, rnn0: counted per kind).
/// </summary>
internal sealed record RecurrentLayerPlan(int Index, string Name, int SourceLayerNumber, OpKind Cell, int Steps, int Inputs, int Hidden,
    bool ReturnSequences, int WeightIhOffset, int BiasIhOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";

    /// <summary>Gates per step: LSTM 4 (i, f, g, o), GRU 3 (r, z, n), simple RNN 1.</summary>
    public int Gates => Cell switch { OpKind.Lstm => 4, OpKind.Gru => 3, _ => 1 };

    public int GateWidth => Gates * Hidden;

    public bool HasBias => BiasIhOffset >= 0;

    public int WeightIhLength => GateWidth * Inputs;

    public int WeightHhOffset => WeightIhOffset + WeightIhLength;

    public int WeightHhLength => GateWidth * Hidden;

    public int BiasHhOffset => BiasIhOffset + GateWidth;

    /// <summary>Floats of the parameter buffer the layer's four tensors occupy.</summary>
    public int ParameterLength => WeightIhLength + WeightHhLength + (HasBias ? 2 * GateWidth : 0);

    /// <summary>The runtime's kernel class.</summary>
    public string KernelClass => Cell switch { OpKind.Lstm => "LstmKernels", OpKind.Gru => "GruKernels", _ => "SimpleRnnKernels" };

    /// <summary>The attribute as the user wrote it, for comments.</summary>
    public string Attribute => Cell switch { OpKind.Lstm => "Lstm", OpKind.Gru => "Gru", _ => "SimpleRnn" };

    /// <summary>Per-sample scratch of the backward: dh (and the LSTM's dc, or the GRU's recurrent gate gradients).</summary>
    public int BackwardScratch => Cell switch { OpKind.Lstm => 2 * Hidden, OpKind.Gru => 4 * Hidden, _ => Hidden };
}
