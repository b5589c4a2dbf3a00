using System.Reflection;
using CompiledNets.Gpu;
using CompiledNets.Onnx;
using CompiledNets.Tests.Generator;
using PublicApiGenerator;
using Xunit;

namespace CompiledNets.Tests.Packaging;

/// <summary>
/// The approved public API of every assembly the packages ship: its whole public surface, written as C# declarations
/// by PublicApiGenerator, must equal Snapshots/&lt;assembly&gt;.verified.txt. Any change to the surface (a new type, a
/// renamed member, a changed signature) fails here until the golden file is accepted (UPDATE_SNAPSHOTS=1), so it shows
/// up in review as a diff of that file. docs/api.md says why each public type is public.
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> ShippedAssemblies() => new()
    {
        typeof(INetwork).Assembly.GetName().Name!,      // package CompiledNets (with the generator, which has no API)
        typeof(OnnxExporter).Assembly.GetName().Name!,  // package CompiledNets.Onnx
        typeof(GpuNetwork<>).Assembly.GetName().Name!,  // package CompiledNets.Gpu
    };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicApiIsTheApprovedOne(string assemblyName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        string api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // The version and InternalsVisibleTo attributes change with every release and test project: not API.
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        });
        GoldenFile.Verify(assemblyName + ".PublicApi", api);
    }
}
