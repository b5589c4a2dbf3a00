using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>How convolutional layers are described in generated comments.</summary>
internal static class SpatialDescriptions
{
    public static string Describe(ConvLayerPlan layer)
    {
        ConvGeometry g = layer.Geometry;
        string options = (g.Stride != 1 ? $", Stride = {g.Stride}" : "") + (g.Dilation != 1 ? $", Dilation = {g.Dilation}" : "")
            + (g.PadTop != 0 || g.PadBottom != 0 || g.PadLeft != 0 || g.PadRight != 0 ? $", padding {g.PadTop}/{g.PadBottom}/{g.PadLeft}/{g.PadRight} (t/b/l/r)" : "")
            + (layer.HasBias ? "" : ", Bias = false");
        return $"{layer.Label}: Conv2D({g.Filters}, {g.Kernel}, {layer.Activation}{options}), {g.Channels}x{g.Height}x{g.Width} -> {g.Filters}x{g.OutHeight}x{g.OutWidth}";
    }

    public static string Describe(PoolForwardOp pool) => DescribePool(pool.Label, pool.Kind, pool.Geometry);

    public static string Describe(PoolBackwardOp pool) => DescribePool(pool.Label, pool.Kind, pool.Geometry);

    private static string DescribePool(string label, LayerKind kind, PoolGeometry g) => kind == LayerKind.GlobalAvgPool2D
        ? $"{label}: GlobalAvgPool2D, {g.Channels}x{g.Height}x{g.Width} -> [{g.Channels}]"
        : $"{label}: {kind}({g.Size}{(g.Stride != g.Size ? $", Stride = {g.Stride}" : "")}), {g.Channels}x{g.Height}x{g.Width} -> {g.Channels}x{g.OutHeight}x{g.OutWidth}";

    public static string Describe(BatchNormLayerPlan layer) =>
        $"{layer.Label}: BatchNorm over {layer.Channels} channel(s) x {layer.Positions} position(s) (momentum {CSharpCode.Float(layer.Momentum).TrimEnd('f')}, epsilon {CSharpCode.Float(layer.Epsilon).TrimEnd('f')})";

    public static string Describe(PositionBiasLayerPlan layer) =>
        $"{layer.Label}: PositionBias({layer.Activation}) on [{layer.Size}]";
}
