namespace CompiledNets;

/// <summary>
/// An LSTM layer with PyTorch's gate order (i, f, g, o) and equations (<c>nn.LSTM</c>, one layer, zero initial state):
/// <c>c' = f c + i g</c>, <c>h' = o tanh(c')</c>. Tensors <c>lstm{i}.weight_ih_l0</c> [4H, F], <c>lstm{i}.weight_hh_l0</c> [4H, H],
/// <c>lstm{i}.bias_ih_l0</c> and <c>lstm{i}.bias_hh_l0</c> [4H]: a PyTorch state dict of an <c>nn.LSTM</c> named <c>lstm{i}</c> maps onto them one to one.
/// It reads a sequence ([steps x features]: the network input declared as <c>[Network(Shape = new[] { steps, features })]</c>,
/// an Embedding or another recurrent layer with <see cref="ReturnSequences"/>) and returns its last state [hidden], or every
/// step's state [steps x hidden] with <see cref="ReturnSequences"/>. Weights and biases start U(-1/sqrt(hidden), 1/sqrt(hidden)), as in PyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    /// <param name="hidden">Features of the hidden state; positive.</param>
    public LstmAttribute(int hidden) => Hidden = hidden;

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
