using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>
/// A snapshot of a network's parameters with every dense layer's weight cut once into the matrix multiply's panels,
/// what ONNX Runtime does with constant weights when it creates a session: batched inference with it skips packing
/// W on every call. Made by a generated network's <c>PackWeights()</c> and passed to its
/// <c>PredictBatch(inputs, outputs, batchSize, workspace, weights)</c>.
/// </summary>
/// <remarks>
/// <para>A snapshot: it holds its own copy of all parameters, weights and biases, taken when it was packed. Changes
/// made to the network's parameters afterwards (training, loading a checkpoint) are not seen by predictions that use
/// it; call <c>PackWeights()</c> again. A prediction with it reads only the snapshot, never a mix of old and new
/// values.</para>
/// <para>Immutable, so any number of threads may predict with one instance at once. The panels are cut for
/// <see cref="KernelSettings.VectorWidth"/> as it was on the packing thread; a prediction that runs at another width
/// gives the same results as without packing, from the snapshot's unpacked weights, only not faster.</para>
/// </remarks>
public sealed class PackedWeights
{
    private readonly float[] _parameters;
    private readonly PackedMatrix[] _layers;

    private PackedWeights(string networkName, float[] parameters, PackedMatrix[] layers, int vectorWidth)
    {
        NetworkName = networkName;
        _parameters = parameters;
        _layers = layers;
        VectorWidth = vectorWidth;
    }

    /// <summary>The network these weights were packed from (its <c>NetworkName</c>).</summary>
    public string NetworkName { get; }

    /// <summary>Floats in the snapshot: the network's <c>ParameterCount</c>.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The vector width (bits, 0: scalar) the panels were cut for.</summary>
    public int VectorWidth { get; }

    /// <summary>The parameters as they were when packed.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>Dense layers packed, in layer order.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The packed weight of the <paramref name="index"/>-th dense layer (layer order, from 0).</summary>
    public PackedMatrix Layer(int index) => _layers[index];

    /// <summary>
    /// Copies <paramref name="parameters"/> and packs the weights at <paramref name="denseWeights"/> for the current
    /// thread's <see cref="KernelSettings.VectorWidth"/>. Generated code calls this; use the network's
    /// <c>PackWeights()</c>.
    /// </summary>
    public static PackedWeights Create(string networkName, ReadOnlySpan<float> parameters, ReadOnlySpan<DenseWeightLayout> denseWeights)
    {
        ArgumentNullException.ThrowIfNull(networkName);
        float[] snapshot = parameters.ToArray();
        int width = KernelSettings.VectorWidth;
        var layers = new PackedMatrix[denseWeights.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            DenseWeightLayout layout = denseWeights[i];
            layers[i] = new PackedMatrix(snapshot, layout.Offset, layout.Units, layout.Inputs, width);
        }
        return new PackedWeights(networkName, snapshot, layers, width);
    }

    /// <summary>Throws unless these weights were packed from a network named <paramref name="networkName"/> with <paramref name="parameterCount"/> parameters.</summary>
    public void CheckPackedFrom(string networkName, int parameterCount)
    {
        if (NetworkName != networkName || ParameterCount != parameterCount)
            throw new ArgumentException(
                $"These packed weights come from network '{NetworkName}' ({ParameterCount} parameters), not from '{networkName}' " +
                $"({parameterCount} parameters). Pack them from this network with its PackWeights().", "weights");
    }
}
