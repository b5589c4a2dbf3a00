namespace CompiledNets.Generator.Parsing;

/// <summary>Metadata names of the runtime types the generator recognises (it never references the runtime).</summary>
internal static class KnownNames
{
    public const string NetworkAttribute = "CompiledNets.NetworkAttribute";
    public const string DenseAttribute = "CompiledNets.DenseAttribute";
    public const string DropoutAttribute = "CompiledNets.DropoutAttribute";
    public const string OutputAttribute = "CompiledNets.OutputAttribute";
    public const string Conv2DAttribute = "CompiledNets.Conv2DAttribute";
    public const string MaxPool2DAttribute = "CompiledNets.MaxPool2DAttribute";
    public const string AvgPool2DAttribute = "CompiledNets.AvgPool2DAttribute";
    public const string GlobalAvgPool2DAttribute = "CompiledNets.GlobalAvgPool2DAttribute";
    public const string FlattenAttribute = "CompiledNets.FlattenAttribute";
    public const string BatchNormAttribute = "CompiledNets.BatchNormAttribute";
    public const string PositionBiasAttribute = "CompiledNets.PositionBiasAttribute";
    public const string ActivationLayerAttribute = "CompiledNets.ActivationLayerAttribute";
    public const string EmbeddingAttribute = "CompiledNets.EmbeddingAttribute";
    public const string LstmAttribute = "CompiledNets.LstmAttribute";
    public const string GruAttribute = "CompiledNets.GruAttribute";
    public const string SimpleRnnAttribute = "CompiledNets.SimpleRnnAttribute";
    public const string Tensor = "CompiledNets.Tensor";
    public const string Layer = "CompiledNets.Layer";
    public const string Ops = "CompiledNets.Ops";
    public const string Trainer = "CompiledNets.Training.Trainer`1";
}
