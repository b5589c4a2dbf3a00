namespace CompiledNets;

/// <summary>
/// A network that describes its own layers at run time (every generated network does): exporters such as
/// <c>CompiledNets.Onnx</c> read <see cref="Layers"/> and <see cref="INetwork.ParameterTensors"/> instead of reflection.
/// </summary>
public interface IDescribedNetwork : INetwork
{
    /// <summary>The layers in execution order, Dropout included.</summary>
    static abstract IReadOnlyList<LayerDescription> Layers { get; }
}
