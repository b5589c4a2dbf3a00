namespace CompiledNets;

/// <summary>
/// An Elman RNN layer with tanh (PyTorch's <c>nn.RNN</c>, one layer, zero initial state):
/// <c>h' = tanh(W_ih x + b_ih + W_hh h + b_hh)</c>. Tensors <c>rnn{i}.weight_ih_l0</c> [H, F], <c>rnn{i}.weight_hh_l0</c> [H, H],
/// <c>rnn{i}.bias_ih_l0</c> and <c>rnn{i}.bias_hh_l0</c> [H], as PyTorch names them.
/// It reads a sequence ([steps x features]: the network input declared as <c>[Network(Shape = new[] { steps, features })]</c>,
/// an Embedding or another recurrent layer with <see cref="ReturnSequences"/>) and returns its last state [hidden], or every
/// step's state [steps x hidden] with <see cref="ReturnSequences"/>. Weights and biases start U(-1/sqrt(hidden), 1/sqrt(hidden)), as in PyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRnnAttribute : Attribute
{
    /// <param name="hidden">Features of the hidden state; positive.</param>
    public SimpleRnnAttribute(int hidden) => Hidden = hidden;

    /// <summary>Features of the hidden state.</summary>
    public int Hidden { get; }

    /// <summary>
    /// False (default): the output is the last step's state, [hidden], for a Dense head. True: every step's state,
    /// [steps x hidden], for another recurrent layer.
    /// </summary>
    public bool ReturnSequences { get; set; }

    /// <summary>Whether the layer has its two biases, bias_ih and bias_hh (default true).</summary>
    public bool Bias { get; set; } = true;
}
