using System.ComponentModel;

namespace CompiledNets;

/// <summary>
/// A network whose backward pass can treat some parameter tensors as constants: what <c>Trainer.Freeze</c> uses so that
/// frozen layers cost no gradient work. Generated networks implement it; users freeze through the trainer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)] // training plumbing: the trainer calls it (docs/api.md)
public interface IFreezableNetwork
{
    /// <summary>
    /// Marks parameter tensors frozen (<paramref name="frozen"/> is indexed like <see cref="INetwork.ParameterTensors"/>; all
    /// false: none) for the <see cref="ITrainableNetwork.Backward"/> calls that follow. Their gradients come back as zeros;
    /// a layer whose trainable tensors are all frozen skips its weight-gradient products, and no input gradient is
    /// computed below the lowest layer that still trains. The gradients of the other tensors are bit-identical to those
    /// of a backward pass with nothing frozen.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="frozen"/> does not have one flag per parameter tensor.</exception>
    void SetFrozenTensors(ReadOnlySpan<bool> frozen);
}
