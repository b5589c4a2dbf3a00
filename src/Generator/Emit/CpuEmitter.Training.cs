using System.Linq;
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
        WriteDropoutRates(writer, plan);

        writer.WriteLine("/// <inheritdoc/>");
        if (plan.Spatial is not null)
            writer.WriteLine("/// <remarks>With <paramref name=\"training\"/>, batch norm uses the batch's statistics and updates its running statistics.</remarks>");
        writer.WriteLine($"public void ForwardTraining({ReadOnlySpan} inputs, int batchSize, {Span} workspace, bool training, ulong dropoutSeed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
            writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
            writer.WriteLine("CompiledNetsCheckWorkspace(workspace.Length, (long)batchSize * TrainingWorkspacePerSample, \"batchSize * TrainingWorkspacePerSample\");");
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.TrainingForward) WriteForwardOp(writer, plan, op, training: true);
        }
    }

    /// <summary>Networks with dropout: the rates as a run-time property, the attributes' rates at first.</summary>
    private static void WriteDropoutRates(IndentedTextWriter writer, KernelPlan plan)
    {
        var rates = plan.TrainingForward.OfType<DropoutOp>().OrderBy(d => d.Index).Select(d => FloatAsDouble(d.Rate)).ToList();
        if (rates.Count == 0) return;
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The rates of the Dropout layers, in the order they apply (the attributes' rates at first): training reads them at every");
        writer.WriteLine("/// step, so they can be changed between runs, e.g. by a hyperparameter search. Inference never applies dropout.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public global::CompiledNets.DropoutRates DropoutRates {{ get; }} = new global::CompiledNets.DropoutRates({string.Join(", ", rates)});");
        writer.WriteLine();
    }

    private static void WriteWorkspaceView(IndentedTextWriter writer, string name, BufferRef buffer, string summary)
    {
        writer.WriteLine($"/// <summary>{summary}</summary>");
        writer.WriteLine($"public static {Span} {name}({Span} workspace, int batchSize) => {Slice(buffer)};");
        writer.WriteLine();
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
            // Each run of ops checks its gate: all true unless parameters are frozen (CpuEmitter.Freezing.cs).
            for (int i = 0; i < plan.TrainingBackward.Count;)
            {
                string condition = GateCondition(plan.TrainingBackward[i], plan.BackwardGates[i]);
                writer.WriteLine($"if ({condition})");
                using (writer.WriteBlock())
                {
                    for (; i < plan.TrainingBackward.Count && GateCondition(plan.TrainingBackward[i], plan.BackwardGates[i]) == condition; i++)
                        WriteBackwardOp(writer, plan, plan.TrainingBackward[i], plan.BackwardGates[i]);
                }
            }
            WriteFrozenGradientsCleared(writer);
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
