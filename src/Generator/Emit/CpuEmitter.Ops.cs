using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

// One kernel call per plan op, each with a comment that says what it computes and what is fused into it.
internal static partial class CpuEmitter
{
    /// <summary>The runtime's element-wise graph kernels (add, subtract, multiply, copy, negate, accumulate).</summary>
    private const string Arithmetic = Kernels + ".TensorArithmetic";

    /// <summary>A forward op of the training or the inference pass (<paramref name="training"/>: batch norm in training mode, dropout active).</summary>
    private static void WriteForwardOp(IndentedTextWriter writer, KernelPlan plan, PlanOp op, bool training)
    {
        switch (op)
        {
            case DenseForwardOp dense:
                WriteDenseForward(writer, plan.DenseLayers[dense.Layer], dense);
                break;
            case DropoutOp dropout:
                WriteDropout(writer, dropout);
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
            case ActivationForwardOp activation:
                writer.WriteLine(activation.Activation == Activation.Identity
                    ? "// the output's activations, kept apart from its logits for the loss"
                    : $"// {activation.Label}: y = {activation.Activation}(x){(activation.Input == activation.Output ? ", in place" : "")}");
                writer.WriteLine($"{KernelType(activation.Activation)}.Forward({Slice(activation.Input)}, {Slice(activation.Output)});");
                break;
            case ElementwiseOp elementwise:
                WriteElementwise(writer, elementwise);
                break;
            case CopyOp copy:
                WriteCopy(writer, copy);
                break;
            case EmbeddingForwardOp embedding:
                WriteEmbeddingForward(writer, embedding);
                break;
            case RecurrentForwardOp recurrent:
                WriteRecurrentForward(writer, recurrent);
                break;
            case ConcatOp concat:
            {
                writer.WriteLine($"// {concat.Label}: concatenation of {concat.Parts.Count} tensors along channels, each a block of columns");
                int offset = 0;
                for (int i = 0; i < concat.Parts.Count; i++)
                {
                    writer.WriteLine($"{Kernels}.ColumnBlocks.CopyToColumns({Slice(concat.Parts[i])}, {Slice(concat.Output)}, {Rows(concat.RowsPerSample)}, " +
                        $"{Int(concat.Widths[i])}, {Int(concat.TotalWidth)}, {Int(offset)});");
                    offset += concat.Widths[i];
                }
                break;
            }
        }
    }

    private static string Rows(int rowsPerSample) => rowsPerSample == 1 ? "batchSize" : $"batchSize * {Int(rowsPerSample)}";

    private static void WriteBackwardOp(IndentedTextWriter writer, KernelPlan plan, PlanOp op, BackwardGate gate)
    {
        switch (op)
        {
            case ActivationBackwardOp activation:
                writer.WriteLine($"// {activation.Label}: dz = dy * {activation.Activation}'(z), in place");
                writer.WriteLine($"{KernelType(activation.Activation)}.Backward({Slice(activation.PreActivation)}, {Slice(activation.Output)}, {Slice(activation.Gradient)}, {Slice(activation.Gradient)});");
                break;
            case DropoutBackwardOp dropout:
                writer.WriteLine($"// {dropout.Label}: Dropout backward, dx = dy * mask in place");
                writer.WriteLine($"{Kernels}.DropoutKernels.Backward({Slice(dropout.Gradient)}, {Slice(dropout.Mask)});");
                break;
            case DenseBackwardOp dense:
            {
                DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                string dBias = layer.HasBias ? UnlessFrozen(plan, layer.WeightOffset, ParameterSlice("gradients", layer.BiasOffset, layer.Units)) : "default";
                writer.WriteLine("// " + LayerDescriptions.Describe(layer) + (dense.InputGradient is null
                    ? " (no input gradient needed)"
                    : $" (dx epilogue: {(dense.DropoutMask is null ? "" : "dropout mask, ")}{dense.PreviousActivation}')"));
                writer.WriteLine($"{Kernels}.DenseKernels.Backward<{KernelType(dense.PreviousActivation)}>(");
                writer.WriteLine($"    {Slice(dense.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)},");
                writer.WriteLine($"    {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {Slice(dense.Gradient)},");
                writer.WriteLine($"    {UnlessFrozen(plan, layer.WeightOffset, ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength))}, {dBias},");
                writer.WriteLine($"    {IfNeeded(gate, dense.InputGradient)}, {OptionalSlice(dense.PreviousPreActivation)}, {OptionalSlice(dense.PreviousOutput)}, {OptionalSlice(dense.DropoutMask)});");
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
                string dBias = layer.HasBias ? UnlessFrozen(plan, layer.WeightOffset, ConvBias(layer, "gradients")) : "default";
                writer.WriteLine($"    {UnlessFrozen(plan, layer.WeightOffset, ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength))}, {dBias}, {IfNeeded(gate, conv.InputGradient)});");
                break;
            }
            case PoolBackwardOp pool:
            {
                PoolGeometry g = pool.Geometry;
                if (pool.PreviousPreActivation is BufferRef previousZ)
                {
                    writer.WriteLine($"// {SpatialDescriptions.Describe(pool)} backward, fused with the {pool.PreviousActivation} derivative of the op below");
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
                // dGamma and dBeta are the sums dx is made of, so a frozen batch norm still computes them (cheap: per channel).
                writer.WriteLine($"    {ParameterSlice("gradients", layer.GammaOffset, layer.Channels)}, {ParameterSlice("gradients", layer.BetaOffset, layer.Channels)}, {IfNeeded(gate, norm.InputGradient)});");
                writer.WriteLine(ParameterSlice("gradients", layer.RunningMeanOffset, 2 * layer.Channels) + ".Clear();");
                break;
            }
            case PositionBiasBackwardOp bias:
                writer.WriteLine($"// {SpatialDescriptions.Describe(bias.Layer)}: db = batch sum of dz; dx is dz (same buffer)");
                writer.WriteLine($"{Kernels}.PositionBiasKernels.Backward({Slice(bias.Gradient)}, batchSize, {Int(bias.Layer.Size)}, {ParameterSlice("gradients", bias.Layer.BiasOffset, bias.Layer.Size)});");
                break;
            case ElementwiseOp elementwise:
                WriteElementwise(writer, elementwise);
                break;
            case AccumulateOp accumulate:
                writer.WriteLine($"// {accumulate.Label} is read by several ops: {(accumulate.Subtract ? "subtract" : "add")} this contribution to its gradient");
                writer.WriteLine($"{Arithmetic}.{(accumulate.Subtract ? "AccumulateNegated" : "Accumulate")}({Slice(accumulate.Source)}, {Slice(accumulate.Target)});");
                break;
            case CopyOp copy:
                WriteCopy(writer, copy);
                break;
            case EmbeddingBackwardOp embedding:
                WriteEmbeddingBackward(writer, embedding);
                break;
            case RecurrentBackwardOp recurrent:
                WriteRecurrentBackward(writer, recurrent);
                break;
            case ConcatSliceOp slice:
                writer.WriteLine($"// {slice.Label}: concatenation backward, this operand's columns of the gradient");
                writer.WriteLine($"{Kernels}.ColumnBlocks.CopyFromColumns({Slice(slice.Gradient)}, {Slice(slice.Part)}, {Rows(slice.RowsPerSample)}, " +
                    $"{Int(slice.Width)}, {Int(slice.TotalWidth)}, {Int(slice.Offset)});");
                break;
            case SharedParameterGradientOp shared:
            {
                string gradients = ParameterSlice("gradients", shared.Offset, shared.Length);
                string stash = $"{Slice(shared.Stash)}.Slice(0, {Int(shared.Length)})";
                if (shared.Restore)
                {
                    writer.WriteLine("// shared weights: add back the gradients of their other uses");
                    writer.WriteLine($"{Arithmetic}.Accumulate({stash}, {gradients});");
                }
                else
                {
                    writer.WriteLine("// shared weights: set aside the gradients of their other uses, which the next backward overwrites");
                    writer.WriteLine($"{gradients}.CopyTo({stash});");
                }
                break;
            }
        }
    }

    private static void WriteElementwise(IndentedTextWriter writer, ElementwiseOp op)
    {
        string method = op.Kind.ToString();
        writer.WriteLine($"// {op.Label}: {method.ToLowerInvariant()}, element-wise");
        writer.WriteLine($"{Arithmetic}.{method}({Slice(op.Left)}, {Slice(op.Right)}, {Slice(op.Output)});");
    }

    private static void WriteCopy(IndentedTextWriter writer, CopyOp copy)
    {
        writer.WriteLine($"// {copy.Label}: {(copy.Negate ? "the negated" : "a copy of the")} gradient");
        writer.WriteLine(copy.Negate
            ? $"{Arithmetic}.Negate({Slice(copy.Source)}, {Slice(copy.Target)});"
            : $"{Slice(copy.Source)}.CopyTo({Slice(copy.Target)});");
    }

    private static void WriteDropout(IndentedTextWriter writer, DropoutOp dropout)
    {
        writer.WriteLine("// " + LayerDescriptions.Describe(dropout));
        writer.WriteLine("if (training)");
        using (writer.WriteBlock())
        {
            // Each dropout layer hashes its own index into the step's seed, so no two layers share a mask. The rate is read
            // at every step (DropoutRates: a run-time hyperparameter, the attribute's rate by default).
            writer.WriteLine($"{Kernels}.DropoutKernels.Forward({Slice(dropout.Input)}, {Slice(dropout.Output)}, {Slice(dropout.Mask)}, " +
                $"(float)DropoutRates[{Int(dropout.Index)}], global::CompiledNets.SeededRandom.Hash(dropoutSeed, {Int(dropout.Index)}UL));");
        }
        writer.WriteLine("else");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{Slice(dropout.Input)}.CopyTo({Slice(dropout.Output)});");
            writer.WriteLine($"{Slice(dropout.Mask)}.Fill(1f);");
        }
    }

    private static void WriteDenseForward(IndentedTextWriter writer, DenseLayerPlan layer, DenseForwardOp op)
    {
        writer.WriteLine("// " + LayerDescriptions.Describe(layer));
        string bias = layer.HasBias ? ParameterSlice("parameters", layer.BiasOffset, layer.Units) : "default";
        writer.WriteLine($"{Kernels}.DenseKernels.Forward<{KernelType(layer.Activation)}>(");
        writer.WriteLine($"    {Slice(op.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)},");
        writer.WriteLine($"    {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {bias},");
        writer.WriteLine($"    {Slice(op.PreActivation)}, {Slice(op.Activation)});");
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
}
