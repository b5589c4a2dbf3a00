namespace CompiledNets.Onnx;

/// <summary>
/// Each activation as ONNX ops, with the constants of <c>ActivationCatalog</c> (LeakyRelu slope 0.01, Elu alpha 1,
/// HardSigmoid 0.2x + 0.5, Gelu's tanh approximation). Standard ops only (default domain; Gelu needs opset 20, every other op 13, see OnnxVersions).
/// </summary>
internal static class OnnxActivations
{
    /// <summary>Appends the activation to <paramref name="input"/> and returns the name of its output.</summary>
    public static string Append(OnnxGraphBuilder graph, Activation activation, string input, Func<string> zero) => activation switch
    {
        Activation.Identity => input,
        Activation.Relu => graph.Node("Relu", [input]),
        Activation.Sigmoid => graph.Node("Sigmoid", [input]),
        Activation.Tanh => graph.Node("Tanh", [input]),
        Activation.Softplus => graph.Node("Softplus", [input]),
        Activation.LeakyRelu => graph.Node("LeakyRelu", [input], OnnxAttribute.Float("alpha", 0.01f)),
        Activation.Elu => graph.Node("Elu", [input], OnnxAttribute.Float("alpha", 1f)),
        Activation.HardSigmoid => graph.Node("HardSigmoid", [input], OnnxAttribute.Float("alpha", 0.2f), OnnxAttribute.Float("beta", 0.5f)),
        Activation.Gelu => graph.Node("Gelu", [input], OnnxAttribute.String("approximate", "tanh")),
        Activation.Sign => graph.Node("Sign", [input]),
        // Heaviside with step(0) = 1: x >= 0 as a bool, cast back to float (TensorProto.FLOAT = 1).
        Activation.Step => graph.Node("Cast", [graph.Node("GreaterOrEqual", [input, zero()])], OnnxAttribute.Int("to", 1)),
        Activation.Softmax => graph.Node("Softmax", [input], OnnxAttribute.Int("axis", -1)),
        _ => throw new NotSupportedException($"Activation {activation} has no ONNX mapping."),
    };
}
