namespace CompiledNets;

/// <summary>
/// A convolution's settings as the generator resolved them (square kernels; "same" padding already turned into
/// per-side padding). Output size per side: floor((in + padding before + after - dilation (kernel - 1) - 1) / stride) + 1.
/// </summary>
/// <param name="Filters">Output channels.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Stride">Step between kernel positions.</param>
/// <param name="Dilation">Spacing between kernel taps.</param>
/// <param name="PadTop">Zero rows above the input.</param>
/// <param name="PadBottom">Zero rows below the input.</param>
/// <param name="PadLeft">Zero columns left of the input.</param>
/// <param name="PadRight">Zero columns right of the input.</param>
public sealed record Conv2DGeometry(int Filters, int Kernel, int Stride, int Dilation, int PadTop, int PadBottom, int PadLeft, int PadRight);

/// <summary>A pooling layer's square window and the step between windows (no padding).</summary>
/// <param name="Size">Window height and width.</param>
/// <param name="Stride">Step between windows.</param>
public sealed record PoolWindow(int Size, int Stride);

/// <summary>
/// A batch norm's constants and the names of its running statistics in <see cref="INetwork.ParameterTensors"/>
/// (gamma and beta are the layer's <see cref="LayerDescription.WeightTensor"/> and <see cref="LayerDescription.BiasTensor"/>).
/// Inference computes y = gamma (x - running mean) / sqrt(running variance + epsilon) + beta.
/// </summary>
/// <param name="Epsilon">Added to the variance before the square root.</param>
/// <param name="Momentum">Weight of a batch's statistics in the running statistics (training only).</param>
/// <param name="RunningMeanTensor">Name of the running mean, one value per channel (or feature).</param>
/// <param name="RunningVarianceTensor">Name of the running variance, one value per channel (or feature).</param>
public sealed record BatchNormStatistics(float Epsilon, float Momentum, string RunningMeanTensor, string RunningVarianceTensor);

/// <summary>
/// A recurrent layer's size, output and recurrent tensors (the input weight and bias, <c>weight_ih_l0</c> and
/// <c>bias_ih_l0</c>, are the layer's <see cref="LayerDescription.WeightTensor"/> and <see cref="LayerDescription.BiasTensor"/>).
/// Gates in PyTorch's order: LSTM i, f, g, o; GRU r, z, n.
/// </summary>
/// <param name="Hidden">Features of the hidden state.</param>
/// <param name="ReturnSequences">True: the output is every step's state; false: the last step's.</param>
/// <param name="WeightHhTensor">Name of the recurrent weight <c>weight_hh_l0</c>, [gates x hidden, hidden].</param>
/// <param name="BiasHhTensor">Name of the recurrent bias <c>bias_hh_l0</c>; null when the layer has no biases.</param>
public sealed record RecurrenceSettings(int Hidden, bool ReturnSequences, string WeightHhTensor, string? BiasHhTensor);
