namespace CompiledNets;

/// <summary>
/// A layer with parameters as generated <c>Quantize()</c> describes it to <see cref="QuantizedWeights.Create"/>: its
/// name (the checkpoint prefix, <c>dense0</c>, <c>conv1</c>, ...), kind and where its weight and bias sit in the
/// parameter buffer. Dense layers come first, in layer order.
/// </summary>
/// <param name="Name">The layer's tensor-name prefix (<c>dense{i}</c>, <c>conv{i}</c>, <c>bn{i}</c>, <c>posbias{i}</c>).</param>
/// <param name="Kind">What the layer does; only <see cref="LayerKind.Dense"/> has an int8 kernel in this version.</param>
/// <param name="WeightOffset">Start of the weight [Units, Inputs] in the parameter buffer (-1: none).</param>
/// <param name="BiasOffset">Start of the bias [Units] (-1: none).</param>
/// <param name="Units">Output channels (a dense layer's units, a convolution's filters).</param>
/// <param name="Inputs">Inputs per output channel (a convolution's patch size).</param>
public readonly record struct QuantizableLayer(string Name, LayerKind Kind, int WeightOffset, int BiasOffset, int Units, int Inputs);
