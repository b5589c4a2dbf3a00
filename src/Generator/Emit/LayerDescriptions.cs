using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>How layers are described in generated comments, in the words the user wrote them.</summary>
internal static class LayerDescriptions
{
    public static string Describe(DenseLayerPlan layer)
    {
        string attribute = layer.IsOutputAttribute ? "Output" : "Dense";
        string bias = layer.HasBias ? "" : ", Bias = false";
        return $"{layer.Label}: {attribute}({layer.Units}, {layer.Activation}{bias}), [{layer.Inputs}] -> [{layer.Units}]";
    }

    public static string Describe(DropoutOp dropout) =>
        $"{dropout.Label}: Dropout({CSharpCode.Float(dropout.Rate).TrimEnd('f')}) on [{dropout.Input.SizePerSample}]";
}
