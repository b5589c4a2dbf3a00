using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Lowers a checked convolutional network to a <see cref="KernelPlan"/> with a <see cref="SpatialPlan"/>: parameter
/// layout in layer order, the training forward (every activation, im2col matrix and batch-norm statistic kept for
/// the backward), a backward pass whose gradient buffers are shared by layers that act in place (Flatten, Dropout,
/// PositionBias), and a ping-pong inference pass with one shared im2col buffer. Assumes no errors were found.
/// </summary>
internal static class SpatialPlanner
{
    private sealed class Step
    {
        public ResolvedLayer Resolved = null!;
        public BufferRef Input = null!;
        public BufferRef Output = null!;
        public BufferRef? PreActivation;
        public BufferRef? Columns;
        public BufferRef? Mask;
        public BufferRef? Normalized;
        public BufferRef? Statistics;
        public Activation Activation;
        public bool HasParameters;
        public object? Layer; // DenseLayerPlan, ConvLayerPlan, BatchNormLayerPlan, PositionBiasLayerPlan
        public int DenseIndex = -1;
        public BufferRef? OutputGradient;
        public bool DerivativeFused;
        public bool MaskFused;

        public LayerKind Kind => Resolved.Layer.Kind;

        public bool HasActivation => Kind is LayerKind.Dense or LayerKind.Output or LayerKind.Conv2D or LayerKind.PositionBias;
    }

    public static KernelPlan Plan(NetworkInfo network, List<ResolvedLayer> resolved)
    {
        SpatialShape inputShape = resolved[0].Input;
        int inputSize = (int)inputShape.Size;
        int outputIndex = SpatialShapeChecker.OutputLayerIndex(network);

        var dense = new List<DenseLayerPlan>();
        var convs = new List<ConvLayerPlan>();
        var norms = new List<BatchNormLayerPlan>();
        var biases = new List<PositionBiasLayerPlan>();
        var tensors = new List<ParameterTensorPlan>();
        var workspace = new WorkspaceAllocator();
        var forward = new List<PlanOp>();
        var steps = new List<Step>();
        var layerShapes = new List<LayerShapePlan>();
        int parameters = 0, dropoutIndex = 0, layerIndex = 0;
        BufferRef current = BufferRef.Input(inputSize);

        foreach (ResolvedLayer r in resolved)
        {
            var step = new Step { Resolved = r, Input = current, Output = current, Activation = (Activation)r.Layer.ActivationValue };
            int number = r.Layer.Number;
            int inSize = (int)r.Input.Size, outSize = (int)r.Output.Size;
            switch (r.Layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                {
                    int units = (int)r.Layer.Units;
                    int weight = parameters;
                    parameters += units * inSize;
                    int bias = r.Layer.HasBias ? parameters : -1;
                    if (r.Layer.HasBias) parameters += units;
                    var plan = new DenseLayerPlan(dense.Count, number, r.Layer.Kind == LayerKind.Output, inSize, units, step.Activation,
                        ActivationCatalog.Get(step.Activation).Initialization, weight, bias);
                    tensors.Add(new ParameterTensorPlan($"dense{plan.Index}.weight", layerIndex, weight, plan.WeightLength, Shape(units, inSize), false));
                    if (plan.HasBias) tensors.Add(new ParameterTensorPlan($"dense{plan.Index}.bias", layerIndex, bias, units, Shape(units), true));
                    step.DenseIndex = dense.Count;
                    dense.Add(plan);
                    step.Layer = plan;
                    step.PreActivation = workspace.Allocate(BufferRole.PreActivation, number, units);
                    step.Output = workspace.Allocate(BufferRole.Activation, number, units);
                    forward.Add(new DenseForwardOp(plan.Index, current, step.PreActivation, step.Output, DenseFusion(plan, inPlace: false)));
                    break;
                }
                case LayerKind.Conv2D:
                {
                    ConvGeometry geometry = Geometry(r);
                    int weight = parameters;
                    parameters += geometry.Filters * geometry.PatchSize;
                    int bias = r.Layer.HasBias ? parameters : -1;
                    if (r.Layer.HasBias) parameters += geometry.Filters;
                    var plan = new ConvLayerPlan(convs.Count, number, geometry, step.Activation,
                        ActivationCatalog.Get(step.Activation).Initialization, weight, bias);
                    tensors.Add(new ParameterTensorPlan($"conv{plan.Index}.weight", layerIndex, weight, plan.WeightLength,
                        Shape(geometry.Filters, geometry.Kernel, geometry.Kernel, geometry.Channels), false));
                    if (plan.HasBias) tensors.Add(new ParameterTensorPlan($"conv{plan.Index}.bias", layerIndex, bias, geometry.Filters, Shape(geometry.Filters), true));
                    convs.Add(plan);
                    step.Layer = plan;
                    step.Columns = geometry.IsPointwise ? null : workspace.Allocate(BufferRole.Columns, number, geometry.OutPositions * geometry.PatchSize);
                    step.PreActivation = workspace.Allocate(BufferRole.PreActivation, number, outSize);
                    step.Output = workspace.Allocate(BufferRole.Activation, number, outSize);
                    forward.Add(new ConvForwardOp(plan, current, step.Columns, step.PreActivation, step.Output));
                    break;
                }
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                case LayerKind.GlobalAvgPool2D:
                    step.Output = workspace.Allocate(BufferRole.LayerOutput, number, outSize);
                    forward.Add(new PoolForwardOp(number, r.Layer.Kind, Pool(r), current, step.Output));
                    break;
                case LayerKind.BatchNorm:
                {
                    int channels = (int)r.Input.Channels;
                    var plan = new BatchNormLayerPlan(norms.Count, number, channels, inSize / channels, r.Input.ChannelsFirst && r.Input.IsSpatial,
                        (float)r.Layer.Spatial!.Momentum, (float)r.Layer.Spatial.Epsilon, parameters);
                    parameters += 4 * channels;
                    string prefix = $"bn{plan.Index}";
                    tensors.Add(new ParameterTensorPlan(prefix + ".weight", layerIndex, plan.GammaOffset, channels, Shape(channels), false));
                    tensors.Add(new ParameterTensorPlan(prefix + ".bias", layerIndex, plan.BetaOffset, channels, Shape(channels), true));
                    tensors.Add(new ParameterTensorPlan(prefix + ".running_mean", layerIndex, plan.RunningMeanOffset, channels, Shape(channels), true));
                    tensors.Add(new ParameterTensorPlan(prefix + ".running_var", layerIndex, plan.RunningVarianceOffset, channels, Shape(channels), true));
                    norms.Add(plan);
                    step.Layer = plan;
                    step.Normalized = workspace.Allocate(BufferRole.Normalized, number, inSize);
                    step.Statistics = workspace.Allocate(BufferRole.BatchStatistics, number, channels + 1);
                    step.Output = workspace.Allocate(BufferRole.LayerOutput, number, outSize);
                    forward.Add(new BatchNormForwardOp(plan, current, step.Normalized, step.Statistics, step.Output));
                    break;
                }
                case LayerKind.PositionBias:
                {
                    var plan = new PositionBiasLayerPlan(biases.Count, number, inSize, step.Activation, parameters);
                    parameters += inSize;
                    tensors.Add(new ParameterTensorPlan($"posbias{plan.Index}.bias", layerIndex, plan.BiasOffset, inSize, ValueShape(r.Input), true));
                    biases.Add(plan);
                    step.Layer = plan;
                    step.PreActivation = workspace.Allocate(BufferRole.PreActivation, number, inSize);
                    step.Output = workspace.Allocate(BufferRole.Activation, number, inSize);
                    forward.Add(new PositionBiasForwardOp(plan, current, step.PreActivation, step.Output));
                    break;
                }
                case LayerKind.Dropout:
                    step.Mask = workspace.Allocate(BufferRole.DropoutMask, number, inSize);
                    step.Output = workspace.Allocate(BufferRole.DropoutOutput, number, inSize);
                    forward.Add(new DropoutOp(dropoutIndex++, number, (float)r.Layer.Rate, current, step.Mask, step.Output));
                    break;
                case LayerKind.Flatten:
                    break;
            }
            layerShapes.Add(new LayerShapePlan(number, r.Layer.Kind, SampleShape(r.Input), SampleShape(r.Output)));
            step.HasParameters = step.Layer is not null;
            if (step.HasParameters) layerIndex++;
            steps.Add(step);
            current = step.Output;
        }

        List<PlanOp> backward = PlanBackward(steps, outputIndex, workspace);
        List<PlanOp> inference = PlanInference(steps, outputIndex, out int inferencePerSample);

        Step output = steps[outputIndex];
        int outputSize = (int)output.Resolved.Output.Size;
        Activation outputActivation = output.Activation;
        bool zeroGradient = steps.Any(s => s.HasActivation && ActivationCatalog.Get(s.Activation).HasZeroGradient);
        var spatial = new SpatialPlan(
            new[] { (int)inputShape.Channels, (int)inputShape.Height, (int)inputShape.Width }.ToEquatableArray(),
            layerShapes.ToEquatableArray(),
            convs.ToEquatableArray(), norms.ToEquatableArray(), biases.ToEquatableArray(),
            backward.ToEquatableArray(), inference.ToEquatableArray(), InferenceChunking.SamplesPerChunk(inferencePerSample));

        return new KernelPlan(
            network.Type,
            inputSize,
            outputSize,
            parameters,
            workspace.SizePerSample,
            inferencePerSample,
            outputActivation,
            outputActivation is Activation.Softmax or Activation.Identity ? OutputLossFusion.SoftmaxCrossEntropy : OutputLossFusion.None,
            zeroGradient,
            dropoutIndex > 0,
            outputActivation is Activation.Sigmoid or Activation.HardSigmoid or Activation.Step ? 0.5f : 0f,
            dense.ToEquatableArray(),
            tensors.ToEquatableArray(),
            workspace.Buffers.ToEquatableArray(),
            forward.ToEquatableArray(),
            EquatableArray<DenseBackwardOp>.Empty,
            EquatableArray<DenseForwardOp>.Empty,
            output.PreActivation!,
            output.Output,
            output.OutputGradient!,
            spatial);
    }

    /// <summary>
    /// Gradient buffers from the top down (layers acting in place share the buffer of the layer below), then the ops.
    /// Nothing is computed below the lowest layer with parameters.
    /// </summary>
    private static List<PlanOp> PlanBackward(List<Step> steps, int outputIndex, WorkspaceAllocator workspace)
    {
        int last = steps.Count - 1;
        var parametersBelow = new bool[steps.Count];
        for (int i = 1; i < steps.Count; i++) parametersBelow[i] = parametersBelow[i - 1] || steps[i - 1].HasParameters;

        steps[last].OutputGradient = workspace.Allocate(BufferRole.PreActivationGradient, steps[last].Resolved.Layer.Number, (int)steps[last].Resolved.Output.Size);
        for (int i = last; i >= 1; i--)
        {
            if (!parametersBelow[i]) break;
            Step step = steps[i];
            steps[i - 1].OutputGradient = step.Kind is LayerKind.Flatten or LayerKind.Dropout or LayerKind.PositionBias
                ? step.OutputGradient
                : workspace.Allocate(BufferRole.InputGradient, steps[i - 1].Resolved.Layer.Number, (int)step.Resolved.Input.Size);
        }

        var ops = new List<PlanOp>();
        for (int i = last; i >= 0; i--)
        {
            Step step = steps[i];
            BufferRef gradient = step.OutputGradient!;
            BufferRef? inputGradient = i > 0 && parametersBelow[i] ? steps[i - 1].OutputGradient : null;
            if (step.HasActivation && i != outputIndex && !step.DerivativeFused && step.Activation != Activation.Identity)
                ops.Add(new ActivationBackwardOp(step.Resolved.Layer.Number, step.Activation, step.PreActivation!, step.Output, gradient));

            switch (step.Layer)
            {
                case DenseLayerPlan plan:
                {
                    Activation previousActivation = Activation.Identity;
                    BufferRef? mask = null, previousZ = null, previousY = null;
                    if (inputGradient is not null)
                    {
                        int j = i - 1;
                        while (j >= 0 && steps[j].Kind == LayerKind.Flatten) j--;
                        if (j >= 0 && steps[j].Kind == LayerKind.Dropout)
                        {
                            mask = steps[j].Mask;
                            steps[j].MaskFused = true;
                            j--;
                            while (j >= 0 && steps[j].Kind == LayerKind.Flatten) j--;
                        }
                        if (j >= 0 && steps[j].HasActivation)
                        {
                            previousActivation = steps[j].Activation;
                            previousZ = steps[j].PreActivation;
                            previousY = steps[j].Output;
                            steps[j].DerivativeFused = true;
                        }
                    }
                    ops.Add(new FusedDenseBackwardOp(plan.Index, step.Input, gradient, inputGradient, previousActivation, previousZ, previousY, mask));
                    break;
                }
                case ConvLayerPlan plan:
                    ops.Add(new ConvBackwardOp(plan, step.Input, step.Columns, gradient, inputGradient));
                    break;
                case BatchNormLayerPlan plan:
                    ops.Add(new BatchNormBackwardOp(plan, step.Normalized!, step.Statistics!, gradient, inputGradient));
                    break;
                case PositionBiasLayerPlan plan:
                    ops.Add(new PositionBiasBackwardOp(plan, gradient));
                    break;
                default:
                    if (inputGradient is null) break;
                    if (step.Kind == LayerKind.Dropout && !step.MaskFused)
                        ops.Add(new DropoutBackwardOp(step.Resolved.Layer.Number, step.Mask!, gradient));
                    else if (step.Kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D)
                    {
                        // The derivative of the activation below runs inside the pooling backward, per sample.
                        Step below = steps[i - 1];
                        bool fuse = below.HasActivation && below.Activation != Activation.Identity;
                        if (fuse) below.DerivativeFused = true;
                        ops.Add(new PoolBackwardOp(step.Resolved.Layer.Number, step.Kind, Pool(step.Resolved), step.Input, gradient, inputGradient,
                            fuse ? below.Activation : Activation.Identity, fuse ? below.PreActivation : null));
                    }
                    else if (step.Kind == LayerKind.GlobalAvgPool2D)
                        ops.Add(new PoolBackwardOp(step.Resolved.Layer.Number, step.Kind, Pool(step.Resolved), step.Input, gradient, inputGradient));
                    break;
            }
        }
        return ops;
    }

    /// <summary>
    /// Inference keeps nothing for a backward pass: outputs alternate between two buffers A and B, every convolution
    /// shares one im2col buffer after them, z and y are one buffer, and Flatten and Dropout vanish.
    /// </summary>
    private static List<PlanOp> PlanInference(List<Step> steps, int outputIndex, out int perSample)
    {
        int widest = 0, columns = 0;
        for (int i = 0; i <= outputIndex; i++)
        {
            Step step = steps[i];
            if (step.Kind is LayerKind.Flatten or LayerKind.Dropout) continue;
            if (i < outputIndex) widest = Math.Max(widest, (int)step.Resolved.Output.Size);
            if (step.Layer is ConvLayerPlan conv && !conv.Geometry.IsPointwise)
                columns = Math.Max(columns, conv.Geometry.OutPositions * conv.Geometry.PatchSize);
        }
        perSample = 2 * widest + columns;

        var ops = new List<PlanOp>();
        BufferRef current = steps[0].Input;
        int next = 0;
        for (int i = 0; i <= outputIndex; i++)
        {
            Step step = steps[i];
            if (step.Kind is LayerKind.Flatten or LayerKind.Dropout) continue;
            int size = (int)step.Resolved.Output.Size;
            BufferRef target = i == outputIndex ? BufferRef.Output(size) : new BufferRef(BufferSpace.Workspace, next * widest, size);
            next = 1 - next;
            switch (step.Layer)
            {
                case DenseLayerPlan plan:
                    ops.Add(new DenseForwardOp(plan.Index, current, target, target, DenseFusion(plan, inPlace: true)));
                    break;
                case ConvLayerPlan plan:
                    BufferRef? shared = plan.Geometry.IsPointwise
                        ? null
                        : new BufferRef(BufferSpace.Workspace, 2 * widest, plan.Geometry.OutPositions * plan.Geometry.PatchSize);
                    ops.Add(new ConvForwardOp(plan, current, shared, target, target));
                    break;
                case BatchNormLayerPlan plan:
                    ops.Add(new BatchNormForwardOp(plan, current, null, null, target));
                    break;
                case PositionBiasLayerPlan plan:
                    ops.Add(new PositionBiasForwardOp(plan, current, target, target));
                    break;
                default:
                    ops.Add(new PoolForwardOp(step.Resolved.Layer.Number, step.Kind, Pool(step.Resolved), current, target));
                    break;
            }
            current = target;
        }
        return ops;
    }

    private static ForwardFusion DenseFusion(DenseLayerPlan layer, bool inPlace) =>
        (layer.HasBias ? ForwardFusion.Bias : ForwardFusion.None)
        | (layer.Activation == Activation.Softmax ? ForwardFusion.RowWiseSoftmax
            : layer.Activation == Activation.Identity ? ForwardFusion.None : ForwardFusion.Activation)
        | (inPlace ? ForwardFusion.InPlace : ForwardFusion.None);

    private static ConvGeometry Geometry(ResolvedLayer r)
    {
        SpatialLayerInfo s = r.Layer.Spatial!;
        return new ConvGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, (int)r.Layer.Units, (int)s.Kernel,
            (int)s.Stride, (int)s.Dilation, (int)r.PadTop, (int)r.PadBottom, (int)r.PadLeft, (int)r.PadRight,
            (int)r.Output.Height, (int)r.Output.Width, r.Input.ChannelsFirst);
    }

    private static PoolGeometry Pool(ResolvedLayer r)
    {
        if (r.Layer.Kind == LayerKind.GlobalAvgPool2D)
        {
            return new PoolGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, 0, 0, 1, 1, r.Input.ChannelsFirst);
        }
        SpatialLayerInfo s = r.Layer.Spatial!;
        return new PoolGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, (int)s.Kernel, (int)s.Stride,
            (int)r.Output.Height, (int)r.Output.Width, r.Input.ChannelsFirst);
    }

    private static EquatableArray<int> Shape(params int[] dimensions) => dimensions.ToEquatableArray();

    private static SampleShapePlan SampleShape(SpatialShape shape) => new((int)shape.Channels, (int)shape.Height, (int)shape.Width,
        !shape.IsSpatial ? ValueLayout.Flat : shape.ChannelsFirst ? ValueLayout.ChannelsFirst : ValueLayout.ChannelsLast);

    /// <summary>How one sample's values are laid out: HWC after a convolution or pooling, CHW on the input, flat otherwise.</summary>
    private static EquatableArray<int> ValueShape(SpatialShape shape) => !shape.IsSpatial
        ? Shape((int)shape.Size)
        : shape.ChannelsFirst
            ? Shape((int)shape.Channels, (int)shape.Height, (int)shape.Width)
            : Shape((int)shape.Height, (int)shape.Width, (int)shape.Channels);
}
