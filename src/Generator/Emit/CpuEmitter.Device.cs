using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    /// <summary>
    /// What a device build needs to size its memory up front (bytes as constants, so a static buffer or a
    /// stackalloc can be sized at compile time) and a single-sample prediction that is safe to call from several
    /// threads on one instance, because its scratch memory belongs to the caller.
    /// </summary>
    private static void WriteDeviceMembers(IndentedTextWriter writer, KernelPlan plan)
    {
        long parameterBytes = (long)plan.ParameterCount * sizeof(float);
        long workspaceBytes = (long)plan.InferenceWorkspacePerSample * sizeof(float);
        WriteLongConstant(writer, "ParameterBytes", parameterBytes,
            "Bytes of weights and biases (<see cref=\"ParameterCount\"/> floats): the model's size in memory and in a checkpoint's data section.");
        writer.WriteLine();
        WriteLongConstant(writer, "InferenceWorkspaceBytesPerSample", workspaceBytes,
            "Bytes of inference workspace per sample of a batch (<see cref=\"InferenceWorkspacePerSample\"/> floats).");
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Floats of caller-owned scratch that the thread-safe <see cref=\"Classify(global::System.ReadOnlySpan{float}, global::System.Span{float}, global::System.Span{float})\"/>");
        writer.WriteLine("/// needs: one sample's inference workspace (<see cref=\"InferenceWorkspacePerSample\"/>).");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public const int PredictScratchSize = {Int(plan.InferenceWorkspacePerSample)};");
        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Single-sample classification that is safe to run on one instance from several threads at once: the parameters are");
        writer.WriteLine("/// only read and every intermediate lives in <paramref name=\"scratch\"/> (at least <see cref=\"PredictScratchSize\"/>");
        writer.WriteLine("/// floats, one per thread, e.g. <c>stackalloc float[PredictScratchSize]</c>). Writes the");
        writer.WriteLine("/// <see cref=\"OutputSize\"/> outputs to <paramref name=\"output\"/> and returns the predicted class. Allocates nothing.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public int Classify({ReadOnlySpan} input, {Span} output, {Span} scratch)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckLength(input.Length, InputSize, nameof(input), \"InputSize\");");
            writer.WriteLine("CompiledNetsCheckLength(output.Length, OutputSize, nameof(output), \"OutputSize\");");
            writer.WriteLine("CompiledNetsCheckWorkspace(scratch.Length, PredictScratchSize, \"PredictScratchSize\");");
            writer.WriteLine(RequireFiniteInputs("input"));
            writer.WriteLine("CompiledNetsInfer(input, output, 1, scratch);");
            WriteDecision(writer, plan, "output");
        }
    }

    private static void WriteLongConstant(IndentedTextWriter writer, string name, long value, string summary)
    {
        // int when it fits (the common case, and what array sizes take), long otherwise.
        string type = value <= int.MaxValue ? "int" : "long";
        WriteConstant(writer, type, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture) + (type == "long" ? "L" : ""), summary);
    }

    private static void WriteDecision(IndentedTextWriter writer, KernelPlan plan, string scores)
    {
        if (plan.OutputSize == 1)
        {
            writer.WriteLine($"return {scores}[0] > {Float(plan.ClassificationThreshold)} ? 1 : 0;");
            return;
        }
        writer.WriteLine("int best = 0;");
        writer.WriteLine("for (int i = 1; i < OutputSize; i++)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"if ({scores}[i] > {scores}[best]) best = i;");
        }
        writer.WriteLine("return best;");
    }
}
