using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Emits the CPU backend of one network: a partial class implementing <c>ITrainableNetwork</c> whose passes call the
/// runtime's fused kernels with compile-time constant shapes, op by op from the plan. One file per concern.
/// </summary>
internal static partial class CpuEmitter
{
    public static readonly string Version = Helpers.GeneratorVersion.Text;

    public static string Emit(KernelPlan plan) =>
        GeneratedFile.Write(plan.Type, plan, WriteClass);

    private static void WriteClass(IndentedTextWriter writer, KernelPlan plan)
    {
        WriteRemarks(writer, plan);
        writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"CompiledNets\", \"{Version}\")]");
        string keyword = plan.Type.IsRecord ? "record" : "class";
        const string interfaces = "global::CompiledNets.ITrainableNetwork, global::CompiledNets.IDescribedNetwork, global::CompiledNets.IFreezableNetwork";
        writer.WriteLine($"partial {keyword} {plan.Type.Name} : {interfaces}");
        using (writer.WriteBlock())
        {
            WriteConstants(writer, plan);
            writer.WriteLine();
            WriteParameters(writer, plan);
            writer.WriteLine();
            WriteLayers(writer, plan);
            writer.WriteLine();
            WriteInitialization(writer, plan);
            writer.WriteLine();
            WriteInference(writer, plan);
            writer.WriteLine();
            WriteDeviceMembers(writer, plan);
            writer.WriteLine();
            WriteTrainingForward(writer, plan);
            writer.WriteLine();
            WriteBackward(writer, plan);
            writer.WriteLine();
            WriteFreezing(writer, plan);
            writer.WriteLine();
            WriteValidation(writer);
        }
    }
}
