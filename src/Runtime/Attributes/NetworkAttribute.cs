namespace CompiledNets;

/// <summary>
/// Marks a <c>partial</c> class as a network compiled by the CompiledNets source generator. Layers are the
/// <see cref="DenseAttribute"/>, <see cref="DropoutAttribute"/> and <see cref="OutputAttribute"/> attributes
/// on the same class, in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Number of input features per sample. Required, positive.</summary>
    public int Input { get; set; }

    /// <summary>
    /// The input as channels x height x width, e.g. <c>Shape = new[] { 1, 28, 28 }</c>, for convolution and pooling
    /// layers; each sample is stored channel by channel (CHW). Input may then be left out (it is the product);
    /// when both are set they must agree. Without Shape the input is a flat vector of <see cref="Input"/> features.
    /// <para>
    /// Two numbers declare a sequence of steps x features, e.g. <c>Shape = new[] { 28, 28 }</c>, for recurrent layers
    /// (<see cref="LstmAttribute"/>, <see cref="GruAttribute"/>, <see cref="SimpleRnnAttribute"/>); each sample is stored step by
    /// step. A sequence of token ids is <c>{ steps, 1 }</c> read by an <see cref="EmbeddingAttribute"/>. The number of steps is
    /// fixed at compile time.
    /// </para>
    /// </summary>
    public int[]? Shape { get; set; }
}
