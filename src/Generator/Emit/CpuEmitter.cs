using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Emits the CPU backend of one network: a partial class implementing <c>ITrainableNetwork</c> whose
/// passes call the runtime's fused kernels with compile-time constant shapes. One file per concern.
/// </summary>
internal static partial class CpuEmitter
{
    public static readonly string Version = Helpers.GeneratorVersion.Text;

    public static string HintName(KernelPlan plan) => plan.Type.MetadataName + ".g.cs";

    public static string Emit(KernelPlan plan) =>
        GeneratedFile.Write(plan.Type, plan, WriteClass);

    private static void WriteClass(IndentedTextWriter writer, KernelPlan plan)
    {
        if (plan.Spatial is null) WriteRemarks(writer, plan);
        else WriteSpatialRemarks(writer, plan);
        writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"CompiledNets\", \"{Version}\")]");
        string keyword = plan.Type.IsRecord ? "record" : "class";
        const string interfaces = "global::CompiledNets.ITrainableNetwork, global::CompiledNets.IDescribedNetwork";
        writer.WriteLine($"partial {keyword} {plan.Type.Name} : {interfaces}");
        using (writer.WriteBlock())
        {
            WriteConstants(writer, plan);
            writer.WriteLine();
            WriteParameters(writer, plan);
            writer.WriteLine();
            WriteLayers(writer, plan);
            writer.WriteLine();
            if (plan.Spatial is null)
            {
                WriteInitialization(writer, plan);
                writer.WriteLine();
                WriteInference(writer, plan);
                writer.WriteLine();
                WriteDeviceMembers(writer, plan);
                writer.WriteLine();
                WriteTrainingForward(writer, plan);
                writer.WriteLine();
                WriteBackward(writer, plan);
            }
            else
            {
                WriteSpatialInitialization(writer, plan);
                writer.WriteLine();
                WriteSpatialInference(writer, plan);
                writer.WriteLine();
                WriteDeviceMembers(writer, plan);
                writer.WriteLine();
                WriteSpatialTrainingForward(writer, plan);
                writer.WriteLine();
                WriteSpatialBackward(writer, plan);
            }
            writer.WriteLine();
            WriteValidation(writer);
        }
    }
}
