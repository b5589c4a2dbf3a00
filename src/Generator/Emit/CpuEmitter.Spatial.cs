using System.Linq;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

// Convolutional networks: the same members as an MLP, written from the SpatialPlan's general op lists.
internal static partial class CpuEmitter
{
    private static void WriteSpatialInitialization(IndentedTextWriter writer, KernelPlan plan)
    {
        if (!plan.Type.HasUserConstructor)
        {
            writer.WriteLine("/// <summary>Creates the network with parameters initialised from <paramref name=\"seed\"/>.</summary>");
            writer.WriteLine($"public {plan.Type.Name}(int seed = 0) => Initialize(seed);");
            writer.WriteLine();
        }
        writer.WriteLine("/// <summary>Re-initialises every parameter from a seed: one random stream consumed layer by layer; biases zero;");
        writer.WriteLine("/// batch norm: gamma 1, beta 0, running mean 0, running variance 1.</summary>");
        writer.WriteLine("public void Initialize(int seed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("var random = new global::CompiledNets.SeededRandom(unchecked((ulong)seed));");
            writer.WriteLine($"{Span} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.TrainingForward)
            {
                switch (op)
                {
                    case DenseForwardOp dense:
                    {
                        DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                        WriteWeightInitialization(writer, layer.Initialization, ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength),
                            layer.Inputs, layer.Units);
                        if (layer.HasBias) writer.WriteLine(ParameterSlice("parameters", layer.BiasOffset, layer.Units) + ".Clear();");
                        break;
                    }
                    case ConvForwardOp conv:
                    {
                        ConvLayerPlan layer = conv.Layer;
                        ConvGeometry g = layer.Geometry;
                        WriteWeightInitialization(writer, layer.Initialization, ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength),
                            g.PatchSize, g.Kernel * g.Kernel * g.Filters);
                        if (layer.HasBias) writer.WriteLine(ParameterSlice("parameters", layer.BiasOffset, g.Filters) + ".Clear();");
                        break;
                    }
                    case BatchNormForwardOp norm:
                    {
                        BatchNormLayerPlan layer = norm.Layer;
                        writer.WriteLine(ParameterSlice("parameters", layer.GammaOffset, layer.Channels) + ".Fill(1f);");
                        writer.WriteLine(ParameterSlice("parameters", layer.BetaOffset, 2 * layer.Channels) + ".Clear();");
                        writer.WriteLine(ParameterSlice("parameters", layer.RunningVarianceOffset, layer.Channels) + ".Fill(1f);");
                        break;
                    }
                    case PositionBiasForwardOp bias:
                        writer.WriteLine(ParameterSlice("parameters", bias.Layer.BiasOffset, bias.Layer.Size) + ".Clear();");
                        break;
                }
            }
        }
    }

    private static void WriteWeightInitialization(IndentedTextWriter writer, WeightInitialization initialization, string weight, int fanIn, int fanOut) =>
        writer.WriteLine(initialization == WeightInitialization.HeNormal
            ? $"{Kernels}.ParameterInitializer.HeNormal({weight}, {Int(fanIn)}, ref random);"
            : $"{Kernels}.ParameterInitializer.GlorotUniform({weight}, {Int(fanIn)}, {Int(fanOut)}, ref random);");

    private static void WriteSpatialInference(IndentedTextWriter writer, KernelPlan plan)
    {
        WritePredictMembers(writer, plan);
        writer.WriteLine("// Dropout is the identity and Flatten costs nothing here; outputs alternate between two workspace buffers and");
        writer.WriteLine("// every convolution shares one im2col buffer after them.");
        writer.WriteLine($"private void CompiledNetsInfer({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.Spatial!.Inference) WriteSpatialForwardOp(writer, plan, op, training: false);
        }
    }

    private static void WriteSpatialTrainingForward(IndentedTextWriter writer, KernelPlan plan)
    {
        WriteWorkspaceView(writer, "OutputPreActivations", plan.OutputPreActivations, "The output layer's pre-activations (logits), [batchSize, OutputSize].");
        WriteWorkspaceView(writer, "Outputs", plan.Outputs, "The output layer's activations, [batchSize, OutputSize].");
        WriteWorkspaceView(writer, "OutputGradients", plan.OutputGradients, "Where the loss writes dLoss/dz of the output layer, [batchSize, OutputSize].");

        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("/// <remarks>With <paramref name=\"training\"/>, batch norm uses the batch's statistics and updates its running statistics.</remarks>");
        writer.WriteLine($"public void ForwardTraining({ReadOnlySpan} inputs, int batchSize, {Span} workspace, bool training, ulong dropoutSeed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
            writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
            writer.WriteLine("CompiledNetsCheckWorkspace(workspace.Length, (long)batchSize * TrainingWorkspacePerSample, \"batchSize * TrainingWorkspacePerSample\");");
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.TrainingForward)
            {
                if (op is DropoutOp dropout) WriteDropout(writer, dropout);
                else WriteSpatialForwardOp(writer, plan, op, training: true);
            }
        }
    }

    private static void WriteSpatialForwardOp(IndentedTextWriter writer, KernelPlan plan, PlanOp op, bool training)
    {
        switch (op)
        {
            case DenseForwardOp dense:
                WriteDenseForward(writer, plan.DenseLayers[dense.Layer], dense);
                break;
            case ConvForwardOp conv:
            {
                ConvLayerPlan layer = conv.Layer;
                writer.WriteLine($"// {SpatialDescriptions.Describe(layer)}: {Algorithm(conv)}, bias + {layer.Activation} in the GEMM epilogue");
                writer.WriteLine($"{Kernels}.ConvolutionKernels.Forward<{KernelType(layer.Activation)}>(");
                writer.WriteLine($"    {ConvShape(layer.Geometry)},");
                writer.WriteLine($"    {Slice(conv.Input)}, batchSize, {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {ConvBias(layer, "parameters")},");
                writer.WriteLine($"    {OptionalSlice(conv.Columns)}, {Slice(conv.PreActivation)}, {Slice(conv.Activation)});");
                break;
            }
            case PoolForwardOp pool:
            {
                PoolGeometry g = pool.Geometry;
                writer.WriteLine($"// {SpatialDescriptions.Describe(pool)}");
                writer.WriteLine(pool.Kind switch
                {
                    LayerKind.MaxPool2D => $"{Kernels}.PoolingKernels.MaxForward({PoolShape(g)}, {Slice(pool.Input)}, batchSize, {Slice(pool.Output)});",
                    LayerKind.AvgPool2D => $"{Kernels}.PoolingKernels.AvgForward({PoolShape(g)}, {Slice(pool.Input)}, batchSize, {Slice(pool.Output)});",
                    _ => $"{Kernels}.PoolingKernels.GlobalAvgForward({Int(g.Channels)}, {Int(g.Height * g.Width)}, {Bool(g.InputChannelsFirst)}, {Slice(pool.Input)}, batchSize, {Slice(pool.Output)});",
                });
                break;
            }
            case BatchNormForwardOp norm:
            {
                BatchNormLayerPlan layer = norm.Layer;
                string head = $"{Int(layer.Channels)}, {Int(layer.Positions)}, {Bool(layer.ChannelsFirst)}, {Slice(norm.Input)}, batchSize, " +
                    $"{ParameterSlice("parameters", layer.GammaOffset, layer.Channels)}, {ParameterSlice("parameters", layer.BetaOffset, layer.Channels)}";
                writer.WriteLine($"// {SpatialDescriptions.Describe(layer)}");
                if (training)
                {
                    writer.WriteLine($"{Kernels}.BatchNormKernels.ForwardTraining({head},");
                    writer.WriteLine($"    new {Span}(_compiledNetsParameters, {Int(layer.RunningMeanOffset)}, {Int(layer.Channels)}), new {Span}(_compiledNetsParameters, {Int(layer.RunningVarianceOffset)}, {Int(layer.Channels)}),");
                    writer.WriteLine($"    {Float(layer.Momentum)}, {Float(layer.Epsilon)}, training, {Slice(norm.Normalized!)}, {Slice(norm.Output)}, {Slice(norm.Statistics!)});");
                }
                else
                {
                    writer.WriteLine($"{Kernels}.BatchNormKernels.Inference({head},");
                    writer.WriteLine($"    {ParameterSlice("parameters", layer.RunningMeanOffset, layer.Channels)}, {ParameterSlice("parameters", layer.RunningVarianceOffset, layer.Channels)}, {Float(layer.Epsilon)}, {Slice(norm.Output)});");
                }
                break;
            }
            case PositionBiasForwardOp bias:
            {
                PositionBiasLayerPlan layer = bias.Layer;
                writer.WriteLine($"// {SpatialDescriptions.Describe(layer)}");
                writer.WriteLine($"{Kernels}.PositionBiasKernels.Forward<{KernelType(layer.Activation)}>({Slice(bias.Input)}, batchSize, {Int(layer.Size)}, " +
                    $"{ParameterSlice("parameters", layer.BiasOffset, layer.Size)}, {Slice(bias.PreActivation)}, {Slice(bias.Activation)});");
                break;
            }
        }
    }

    private static void WriteSpatialBackward(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void Backward({ReadOnlySpan} inputs, int batchSize, {Span} workspace, {Span} gradients)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
            writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
            writer.WriteLine("CompiledNetsCheckWorkspace(workspace.Length, (long)batchSize * TrainingWorkspacePerSample, \"batchSize * TrainingWorkspacePerSample\");");
            writer.WriteLine("CompiledNetsCheckLength(gradients.Length, ParameterCount, nameof(gradients), \"ParameterCount\");");
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.Spatial!.TrainingBackward)
            {
                switch (op)
                {
                    case ActivationBackwardOp activation:
                        writer.WriteLine($"// layer {activation.SourceLayerNumber}: dz = dy * {activation.Activation}'(z), in place");
                        writer.WriteLine($"{KernelType(activation.Activation)}.Backward({Slice(activation.PreActivation)}, {Slice(activation.Output)}, {Slice(activation.Gradient)}, {Slice(activation.Gradient)});");
                        break;
                    case DropoutBackwardOp dropout:
                        writer.WriteLine($"// layer {dropout.SourceLayerNumber}: Dropout backward, dx = dy * mask in place");
                        writer.WriteLine($"{Kernels}.DropoutKernels.Backward({Slice(dropout.Gradient)}, {Slice(dropout.Mask)});");
                        break;
                    case FusedDenseBackwardOp dense:
                    {
                        DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                        string dBias = layer.HasBias ? ParameterSlice("gradients", layer.BiasOffset, layer.Units) : "default";
                        writer.WriteLine("// " + LayerDescriptions.Describe(layer) + (dense.InputGradient is null
                            ? " (no input gradient needed)"
                            : $" (dx epilogue: {(dense.DropoutMask is null ? "" : "dropout mask, ")}{dense.PreviousActivation}')"));
                        writer.WriteLine($"{Kernels}.DenseKernels.Backward<{KernelType(dense.PreviousActivation)}>(");
                        writer.WriteLine($"    {Slice(dense.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)},");
                        writer.WriteLine($"    {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {Slice(dense.Gradient)},");
                        writer.WriteLine($"    {ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength)}, {dBias},");
                        writer.WriteLine($"    {OptionalSlice(dense.InputGradient)}, {OptionalSlice(dense.PreviousPreActivation)}, {OptionalSlice(dense.PreviousOutput)}, {OptionalSlice(dense.DropoutMask)});");
                        break;
                    }
                    case ConvBackwardOp conv:
                    {
                        ConvLayerPlan layer = conv.Layer;
                        string fields = layer.Geometry.IsImplicitGemm ? "receptive fields gathered from x" : "columns";
                        writer.WriteLine($"// {SpatialDescriptions.Describe(layer)}: dW = dZ^T {fields}, db = sums of dZ{(conv.InputGradient is null ? "" : ", dx = col2im(dZ W)")}");
                        writer.WriteLine($"{Kernels}.ConvolutionKernels.Backward(");
                        writer.WriteLine($"    {ConvShape(layer.Geometry)},");
                        writer.WriteLine($"    {Slice(conv.Input)}, batchSize, {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {OptionalSlice(conv.Columns)}, {Slice(conv.Gradient)},");
                        writer.WriteLine($"    {ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength)}, {ConvBias(layer, "gradients")}, {OptionalSlice(conv.InputGradient)});");
                        break;
                    }
                    case PoolBackwardOp pool:
                    {
                        PoolGeometry g = pool.Geometry;
                        if (pool.PreviousPreActivation is BufferRef previousZ)
                        {
                            writer.WriteLine($"// {SpatialDescriptions.Describe(pool)} backward, fused with the {pool.PreviousActivation} derivative of the layer below");
                            string method = pool.Kind == LayerKind.MaxPool2D ? "MaxBackward" : "AvgBackward";
                            writer.WriteLine($"{Kernels}.PoolingKernels.{method}<{KernelType(pool.PreviousActivation)}>({PoolShape(g)}, {Slice(pool.Input)}, {Slice(previousZ)}, batchSize, {Slice(pool.Gradient)}, {Slice(pool.InputGradient)});");
                            break;
                        }
                        writer.WriteLine($"// {SpatialDescriptions.Describe(pool)} backward");
                        writer.WriteLine(pool.Kind switch
                        {
                            LayerKind.MaxPool2D => $"{Kernels}.PoolingKernels.MaxBackward({PoolShape(g)}, {Slice(pool.Input)}, batchSize, {Slice(pool.Gradient)}, {Slice(pool.InputGradient)});",
                            LayerKind.AvgPool2D => $"{Kernels}.PoolingKernels.AvgBackward({PoolShape(g)}, batchSize, {Slice(pool.Gradient)}, {Slice(pool.InputGradient)});",
                            _ => $"{Kernels}.PoolingKernels.GlobalAvgBackward({Int(g.Channels)}, {Int(g.Height * g.Width)}, {Bool(g.InputChannelsFirst)}, batchSize, {Slice(pool.Gradient)}, {Slice(pool.InputGradient)});",
                        });
                        break;
                    }
                    case BatchNormBackwardOp norm:
                    {
                        BatchNormLayerPlan layer = norm.Layer;
                        writer.WriteLine($"// {SpatialDescriptions.Describe(layer)} backward; the running statistics get zero gradient");
                        writer.WriteLine($"{Kernels}.BatchNormKernels.Backward({Int(layer.Channels)}, {Int(layer.Positions)}, {Bool(layer.ChannelsFirst)}, batchSize, " +
                            $"{ParameterSlice("parameters", layer.GammaOffset, layer.Channels)}, {Slice(norm.Normalized)}, {Slice(norm.Statistics)}, {Slice(norm.Gradient)},");
                        writer.WriteLine($"    {ParameterSlice("gradients", layer.GammaOffset, layer.Channels)}, {ParameterSlice("gradients", layer.BetaOffset, layer.Channels)}, {OptionalSlice(norm.InputGradient)});");
                        writer.WriteLine(ParameterSlice("gradients", layer.RunningMeanOffset, 2 * layer.Channels) + ".Clear();");
                        break;
                    }
                    case PositionBiasBackwardOp bias:
                        writer.WriteLine($"// {SpatialDescriptions.Describe(bias.Layer)}: db = batch sum of dz; dx is dz (same buffer)");
                        writer.WriteLine($"{Kernels}.PositionBiasKernels.Backward({Slice(bias.Gradient)}, batchSize, {Int(bias.Layer.Size)}, {ParameterSlice("gradients", bias.Layer.BiasOffset, bias.Layer.Size)});");
                        break;
                }
            }
        }
    }

    private static string Algorithm(ConvForwardOp conv) =>
        conv.Columns is null ? "pointwise, GEMM on the input" : conv.Layer.Geometry.IsImplicitGemm ? "implicit GEMM" : "im2col + GEMM";

    private static string ConvBias(ConvLayerPlan layer, string buffer) =>
        layer.HasBias ? ParameterSlice(buffer, layer.BiasOffset, layer.Geometry.Filters) : "default";

    private static string ConvShape(ConvGeometry g) =>
        $"new {Kernels}.Conv2DShape({Int(g.Channels)}, {Int(g.Height)}, {Int(g.Width)}, {Int(g.Filters)}, {Int(g.Kernel)}, {Int(g.Stride)}, {Int(g.Dilation)}, " +
        $"{Int(g.PadTop)}, {Int(g.PadLeft)}, {Int(g.OutHeight)}, {Int(g.OutWidth)}, inputChannelsFirst: {Bool(g.InputChannelsFirst)})";

    private static string PoolShape(PoolGeometry g) =>
        $"new {Kernels}.Pool2DShape({Int(g.Channels)}, {Int(g.Height)}, {Int(g.Width)}, {Int(g.Size)}, {Int(g.Stride)}, {Int(g.OutHeight)}, {Int(g.OutWidth)}, inputChannelsFirst: {Bool(g.InputChannelsFirst)})";

    /// <summary>The class documentation of a convolutional network: layers, shapes, algorithm per convolution and why.</summary>
    private static void WriteSpatialRemarks(IndentedTextWriter writer, KernelPlan plan)
    {
        SpatialPlan spatial = plan.Spatial!;
        string shape = string.Join("x", spatial.InputShape);
        writer.WriteLine($"/// <summary>Compiled by CompiledNets: a convolutional network, {shape} (channels x height x width) -> [{plan.OutputSize}], {plan.ParameterCount} parameters.</summary>");
        writer.WriteLine("/// <remarks>");
        writer.WriteLine("/// <para>Convolutions run as im2col + GEMM: each output position's receptive field becomes a row of a");
        writer.WriteLine("/// [batch x positions, kernel x kernel x channels] matrix, so a whole batch is one call of the runtime's packed,");
        writer.WriteLine("/// register-blocked, multithreaded SIMD GEMM with bias + activation fused in its epilogue (the dense layers' kernel).");
        writer.WriteLine("/// Chosen by measurement (benchmarks: CnnConvolutionAlgorithmBenchmarks, forward + bias + ReLU, against the runtime's");
        writer.WriteLine("/// direct convolution): im2col + GEMM was 2-2.5x faster on a 1-channel 5x5 layer (batch 64), 9-14x on a 32-channel");
        writer.WriteLine("/// 5x5 layer (batch 64) and 5-6x on a 192-channel 3x3 layer (batch 1). 1x1 convolutions (pointwise) skip im2col and multiply");
        writer.WriteLine("/// the input directly. Convolutions with short receptive fields (at most " + ConvolutionAlgorithm.MaxImplicitGemmPatch + " values, e.g. one channel and");
        writer.WriteLine("/// a 5x5 kernel) run as an implicit GEMM: the fields are gathered straight into the multiply's packed panels in the");
        writer.WriteLine("/// forward pass and the weight gradient, since writing and re-packing an im2col matrix costs more than the");
        writer.WriteLine("/// multiply (the same sums as im2col + GEMM). Activations are stored channels-last (HWC), so im2col copies contiguous channel runs and");
        writer.WriteLine("/// Flatten is free. Backward: dW = dZ^T columns, dx = col2im(dZ W) reusing the im2col buffer; activation derivatives");
        writer.WriteLine("/// (and a dropout mask) below a dense layer run in its dx GEMM's epilogue, elsewhere in place on the gradient.");
        writer.WriteLine("/// Pooling runs as its own pass (channels-last rows; max pooling's backward recomputes each window's maximum");
        writer.WriteLine("/// from the saved input instead of storing indices) and its backward applies the activation derivative of the");
        writer.WriteLine("/// convolution below it sample by sample, while that sample's gradient is in cache. im2col, col2im and pooling are");
        writer.WriteLine("/// split across the worker pool by samples.");
        long chunkKiB = (long)spatial.InferenceChunk * plan.InferenceWorkspacePerSample * sizeof(float) / 1024;
        writer.WriteLine($"/// Batched inference runs {Samples(spatial.InferenceChunk)} at a time, so that one chunk's workspace ({chunkKiB.ToString(global::System.Globalization.CultureInfo.InvariantCulture)} KiB)");
        writer.WriteLine("/// stays in the last-level cache from one layer to the next.");
        writer.WriteLine(plan.LossFusion == OutputLossFusion.SoftmaxCrossEntropy
            ? $"/// Softmax + cross-entropy fuse in the loss (output activation: {plan.OutputActivation}).</para>"
            : $"/// The loss backpropagates through the output activation ({plan.OutputActivation}) itself.</para>");
        writer.WriteLine("/// <list type=\"table\">");
        writer.WriteLine("/// <listheader><term>Layer</term><description>Parameters and kernel</description></listheader>");
        foreach (PlanOp op in plan.TrainingForward)
        {
            string term, description;
            switch (op)
            {
                case DenseForwardOp dense:
                {
                    DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                    term = LayerDescriptions.Describe(layer);
                    description = $"{Tensors(plan, layer.WeightOffset, layer.WeightLength + (layer.HasBias ? layer.Units : 0))}; GEMM, forward epilogue: {dense.Fusion}";
                    break;
                }
                case ConvForwardOp conv:
                    term = SpatialDescriptions.Describe(conv.Layer);
                    description = $"{Tensors(plan, conv.Layer.WeightOffset, conv.Layer.WeightLength + (conv.Layer.HasBias ? conv.Layer.Geometry.Filters : 0))}; " +
                        (conv.Columns is null ? "pointwise: GEMM directly on the input"
                            : conv.Layer.Geometry.IsImplicitGemm ? $"implicit GEMM ({conv.Layer.Geometry.OutPositions} x {conv.Layer.Geometry.PatchSize} per sample, gathered into the multiply's panels)"
                            : $"im2col ({conv.Layer.Geometry.OutPositions} x {conv.Layer.Geometry.PatchSize} per sample) + GEMM") +
                        $", bias + {conv.Layer.Activation} in the epilogue";
                    break;
                case PoolForwardOp pool:
                    term = SpatialDescriptions.Describe(pool);
                    description = "no parameters; separate pass";
                    break;
                case BatchNormForwardOp norm:
                    term = SpatialDescriptions.Describe(norm.Layer);
                    description = $"{Tensors(plan, norm.Layer.GammaOffset, 4 * norm.Layer.Channels)}; running statistics have zero gradient";
                    break;
                case PositionBiasForwardOp bias:
                    term = SpatialDescriptions.Describe(bias.Layer);
                    description = $"{Tensors(plan, bias.Layer.BiasOffset, bias.Layer.Size)}; one pass";
                    break;
                case DropoutOp dropout:
                    term = LayerDescriptions.Describe(dropout);
                    description = "no parameters; identity at inference";
                    break;
                default:
                    continue;
            }
            writer.WriteLine($"/// <item><term>{term}</term><description>{description}</description></item>");
        }
        writer.WriteLine("/// </list>");
        writer.WriteLine($"/// <para>Workspace per sample: {plan.TrainingWorkspacePerSample} floats for training, {plan.InferenceWorkspacePerSample} for batched inference.</para>");
        if (plan.Type.HasUserConstructor)
            writer.WriteLine("/// <para>The class declares its own constructor, so none is generated: parameters stay zero until it calls <c>Initialize(seed)</c>.</para>");
        writer.WriteLine("/// </remarks>");
    }

    private static string Tensors(KernelPlan plan, int offset, int length) => string.Join(", ", plan.Parameters
        .Where(p => p.Offset >= offset && p.Offset < offset + length)
        .Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]"));
}
