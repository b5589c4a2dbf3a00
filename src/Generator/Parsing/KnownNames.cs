namespace CompiledNets.Generator.Parsing;

/// <summary>Metadata names of the runtime types the generator recognises (it never references the runtime).</summary>
internal static class KnownNames
{
    public const string NetworkAttribute = "CompiledNets.NetworkAttribute";
    public const string DenseAttribute = "CompiledNets.DenseAttribute";
    public const string DropoutAttribute = "CompiledNets.DropoutAttribute";
    public const string OutputAttribute = "CompiledNets.OutputAttribute";
    public const string Trainer = "CompiledNets.Training.Trainer`1";
}
