using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Lowers a checked <see cref="NetworkInfo"/> to a <see cref="KernelPlan"/>: parameter layout, the training
/// passes with their memory plan, and a ping-pong inference pass. Assumes the shape checker found no error.
/// </summary>
internal static class KernelPlanner
{
    public static KernelPlan Plan(NetworkInfo network)
    {
        int inputSize = network.Input!.Value;
        List<DenseLayerPlan> dense = PlanParameters(network, inputSize, out int parameterCount);
        DenseLayerPlan output = dense[dense.Count - 1];

        var workspace = new WorkspaceAllocator();
        var forward = new List<PlanOp>();
        var layerInput = new BufferRef[dense.Count];
        var preActivation = new BufferRef[dense.Count];
        var activation = new BufferRef[dense.Count];
        var maskBefore = new BufferRef?[dense.Count];
        BufferRef current = BufferRef.Input(inputSize);
        BufferRef? pendingMask = null;
        int denseIndex = 0, dropoutIndex = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            if (layer.Kind == LayerKind.Dropout)
            {
                BufferRef mask = workspace.Allocate(BufferRole.DropoutMask, layer.Number, current.SizePerSample);
                BufferRef dropped = workspace.Allocate(BufferRole.DropoutOutput, layer.Number, current.SizePerSample);
                forward.Add(new DropoutOp(dropoutIndex++, layer.Number, (float)layer.Rate, current, mask, dropped));
                current = dropped;
                pendingMask = mask;
                continue;
            }

            DenseLayerPlan plan = dense[denseIndex];
            layerInput[denseIndex] = current;
            preActivation[denseIndex] = workspace.Allocate(BufferRole.PreActivation, layer.Number, plan.Units);
            // Identity's backward reads neither z nor y, so one buffer serves both and the kernel skips a copy;
            // not on the output layer, whose Outputs and OutputPreActivations the loss may treat as distinct.
            activation[denseIndex] = plan.Activation == Activation.Identity && denseIndex < dense.Count - 1
                ? preActivation[denseIndex]
                : workspace.Allocate(BufferRole.Activation, layer.Number, plan.Units);
            maskBefore[denseIndex] = pendingMask;
            forward.Add(new DenseForwardOp(denseIndex, current, preActivation[denseIndex], activation[denseIndex],
                ForwardFusionOf(plan, inPlace: activation[denseIndex] == preActivation[denseIndex])));
            current = activation[denseIndex];
            pendingMask = null;
            denseIndex++;
        }

        var gradient = new BufferRef[dense.Count];
        for (int i = 0; i < dense.Count; i++)
            gradient[i] = workspace.Allocate(BufferRole.PreActivationGradient, dense[i].SourceLayerNumber, dense[i].Units);

        var backward = new List<DenseBackwardOp>();
        for (int i = dense.Count - 1; i >= 0; i--)
        {
            bool first = i == 0;
            backward.Add(new DenseBackwardOp(i, layerInput[i], gradient[i],
                first ? -1 : i - 1,
                first ? null : gradient[i - 1],
                first ? null : preActivation[i - 1],
                first ? null : activation[i - 1],
                first ? null : maskBefore[i],
                first ? BackwardFusion.SkipInputGradient
                    : BackwardFusion.PreviousActivationDerivative | (maskBefore[i] is null ? BackwardFusion.None : BackwardFusion.DropoutMask)));
        }

        List<DenseForwardOp> inference = PlanInference(dense, inputSize, out int inferencePerSample);
        bool zeroGradient = dense.Any(d => ActivationCatalog.Get(d.Activation).HasZeroGradient);

        return new KernelPlan(
            network.Type,
            inputSize,
            output.Units,
            parameterCount,
            workspace.SizePerSample,
            inferencePerSample,
            output.Activation,
            output.Activation is Activation.Softmax or Activation.Identity ? OutputLossFusion.SoftmaxCrossEntropy : OutputLossFusion.None,
            zeroGradient,
            dropoutIndex > 0,
            output.Activation is Activation.Sigmoid or Activation.HardSigmoid or Activation.Step ? 0.5f : 0f,
            dense.ToEquatableArray(),
            ParameterTensors(dense).ToEquatableArray(),
            workspace.Buffers.ToEquatableArray(),
            forward.ToEquatableArray(),
            backward.ToEquatableArray(),
            inference.ToEquatableArray(),
            preActivation[dense.Count - 1],
            activation[dense.Count - 1],
            gradient[dense.Count - 1]);
    }

    /// <summary>Weights then bias, layer after layer: the order the initialiser consumes random numbers in.</summary>
    private static List<DenseLayerPlan> PlanParameters(NetworkInfo network, int inputSize, out int parameterCount)
    {
        var dense = new List<DenseLayerPlan>();
        int width = inputSize;
        int offset = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            if (layer.Kind == LayerKind.Dropout) continue;
            int units = (int)layer.Units;
            var kind = (Activation)layer.ActivationValue;
            int weightOffset = offset;
            offset += units * width;
            int biasOffset = layer.HasBias ? offset : -1;
            if (layer.HasBias) offset += units;
            dense.Add(new DenseLayerPlan(dense.Count, layer.Number, layer.Kind == LayerKind.Output, width, units, kind,
                ActivationCatalog.Get(kind).Initialization, weightOffset, biasOffset));
            width = units;
        }
        parameterCount = offset;
        return dense;
    }

    private static ForwardFusion ForwardFusionOf(DenseLayerPlan layer, bool inPlace) =>
        (layer.HasBias ? ForwardFusion.Bias : ForwardFusion.None)
        | (layer.Activation == Activation.Softmax ? ForwardFusion.RowWiseSoftmax
            : layer.Activation == Activation.Identity ? ForwardFusion.None : ForwardFusion.Activation)
        | (inPlace ? ForwardFusion.InPlace : ForwardFusion.None);

    private static IEnumerable<ParameterTensorPlan> ParameterTensors(List<DenseLayerPlan> dense)
    {
        foreach (DenseLayerPlan layer in dense)
        {
            yield return new ParameterTensorPlan($"dense{layer.Index}.weight", layer.Index, layer.WeightOffset, layer.WeightLength,
                new[] { layer.Units, layer.Inputs }.ToEquatableArray(), false);
            if (layer.HasBias)
            {
                yield return new ParameterTensorPlan($"dense{layer.Index}.bias", layer.Index, layer.BiasOffset, layer.Units,
                    new[] { layer.Units }.ToEquatableArray(), true);
            }
        }
    }

    /// <summary>
    /// Inference keeps no activations for a backward pass, so hidden layers alternate between two buffers
    /// (z and y share one: the kernel applies the activation in place) and dropout, the identity, vanishes.
    /// </summary>
    private static List<DenseForwardOp> PlanInference(List<DenseLayerPlan> dense, int inputSize, out int perSample)
    {
        int widest = 0;
        for (int i = 0; i < dense.Count - 1; i++) widest = System.Math.Max(widest, dense[i].Units);
        perSample = dense.Count switch { 1 => 0, 2 => widest, _ => 2 * widest };

        var ops = new List<DenseForwardOp>();
        BufferRef current = BufferRef.Input(inputSize);
        for (int i = 0; i < dense.Count; i++)
        {
            BufferRef target = i == dense.Count - 1
                ? BufferRef.Output(dense[i].Units)
                : new BufferRef(BufferSpace.Workspace, i % 2 == 0 ? 0 : widest, dense[i].Units);
            ops.Add(new DenseForwardOp(i, current, target, target, ForwardFusionOf(dense[i], inPlace: true)));
            current = target;
        }
        return ops;
    }
}
