using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    private static void WriteTrainingForward(IndentedTextWriter writer, KernelPlan plan)
    {
        WriteWorkspaceView(writer, "OutputPreActivations", plan.OutputPreActivations, "The output layer's pre-activations (logits), [batchSize, OutputSize].");
        WriteWorkspaceView(writer, "Outputs", plan.Outputs, "The output layer's activations, [batchSize, OutputSize].");
        WriteWorkspaceView(writer, "OutputGradients", plan.OutputGradients, "Where the loss writes dLoss/dz of the output layer, [batchSize, OutputSize].");

        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void ForwardTraining({ReadOnlySpan} inputs, int batchSize, {Span} workspace, bool training, ulong dropoutSeed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
            writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
            writer.WriteLine("CompiledNetsCheckWorkspace(workspace.Length, (long)batchSize * TrainingWorkspacePerSample, \"batchSize * TrainingWorkspacePerSample\");");
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.TrainingForward)
            {
                if (op is DenseForwardOp dense) WriteDenseForward(writer, plan.DenseLayers[dense.Layer], dense);
                else if (op is DropoutOp dropout) WriteDropout(writer, dropout);
            }
        }
    }

    private static void WriteWorkspaceView(IndentedTextWriter writer, string name, BufferRef buffer, string summary)
    {
        writer.WriteLine($"/// <summary>{summary}</summary>");
        writer.WriteLine($"public static {Span} {name}({Span} workspace, int batchSize) => {Slice(buffer)};");
        writer.WriteLine();
    }

    private static void WriteDropout(IndentedTextWriter writer, DropoutOp dropout)
    {
        writer.WriteLine("// " + LayerDescriptions.Describe(dropout));
        writer.WriteLine("if (training)");
        using (writer.WriteBlock())
        {
            // Each dropout layer hashes its own index into the step's seed, so no two layers share a mask.
            writer.WriteLine($"{Kernels}.DropoutKernels.Forward({Slice(dropout.Input)}, {Slice(dropout.Output)}, {Slice(dropout.Mask)}, " +
                $"{Float(dropout.Rate)}, global::CompiledNets.SeededRandom.Hash(dropoutSeed, {Int(dropout.Index)}UL));");
        }
        writer.WriteLine("else");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{Slice(dropout.Input)}.CopyTo({Slice(dropout.Output)});");
            writer.WriteLine($"{Slice(dropout.Mask)}.Fill(1f);");
        }
    }

    private static void WriteBackward(IndentedTextWriter writer, KernelPlan plan)
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
            foreach (DenseBackwardOp op in plan.TrainingBackward)
            {
                DenseLayerPlan layer = plan.DenseLayers[op.Layer];
                Activation previous = op.PreviousLayer >= 0 ? plan.DenseLayers[op.PreviousLayer].Activation : Activation.Identity;
                string dBias = layer.HasBias ? ParameterSlice("gradients", layer.BiasOffset, layer.Units) : "default";
                writer.WriteLine("// " + LayerDescriptions.Describe(layer) + ((op.Fusion & BackwardFusion.SkipInputGradient) != 0
                    ? " (first layer: no input gradient)"
                    : $" (dx epilogue: {op.Fusion})"));
                writer.WriteLine($"{Kernels}.DenseKernels.Backward<{KernelType(previous)}>(");
                writer.WriteLine($"    {Slice(op.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)},");
                writer.WriteLine($"    {ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {Slice(op.Gradient)},");
                writer.WriteLine($"    {ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength)}, {dBias},");
                writer.WriteLine($"    {OptionalSlice(op.PreviousGradient)}, {OptionalSlice(op.PreviousPreActivation)}, {OptionalSlice(op.PreviousActivation)}, {OptionalSlice(op.DropoutMask)});");
            }
        }
    }

    private static void WriteValidation(IndentedTextWriter writer)
    {
        writer.WriteLine("private static void CompiledNetsCheckBatch(int batchSize)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("if (batchSize <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"batchSize must be positive.\");");
        }
        writer.WriteLine();
        writer.WriteLine("private static void CompiledNetsCheckLength(int actual, long expected, string parameter, string formula)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"if (actual != expected) throw new {ArgumentException}($\"{{parameter}} has {{actual}} values, expected {{formula}} = {{expected}}.\", parameter);");
        }
        writer.WriteLine();
        writer.WriteLine("private static void CompiledNetsCheckWorkspace(int actual, long required, string formula)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"if (actual < required) throw new {ArgumentException}($\"workspace has {{actual}} floats, expected at least {{formula}} = {{required}}.\", \"workspace\");");
        }
    }
}
