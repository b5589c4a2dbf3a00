// Shared between the runtime (public API) and the generator (linked as source), so both sides agree on
// the numeric value of every activation that appears in an attribute.
namespace CompiledNets;

/// <summary>
/// The element-wise (and, for <see cref="Softmax"/>, row-wise) non-linearity applied after a layer's affine map.
/// Forward formulas and derivatives are listed in <c>ActivationCatalog</c>; the numbers are part of the
/// attribute contract and never change.
/// </summary>
#if COMPILEDNETS_GENERATOR
internal
#else
public
#endif
enum Activation
{
    /// <summary>f(x) = x. Also called linear. Output layers that feed a loss "from logits" use it.</summary>
    Identity = 0,
    /// <summary>Heaviside step: 1 for x &gt;= 0, else 0. Its gradient is zero everywhere: it does not train.</summary>
    Step = 1,
    /// <summary>sign(x): -1, 0 or 1. Its gradient is zero everywhere: it does not train.</summary>
    Sign = 2,
    /// <summary>Piecewise-linear (hard) sigmoid: clamp(0.2 x + 0.5, 0, 1), as in Keras and ONNX HardSigmoid.</summary>
    HardSigmoid = 3,
    /// <summary>Logistic sigmoid 1 / (1 + e^-x).</summary>
    Sigmoid = 4,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 5,
    /// <summary>Rectified linear unit max(0, x).</summary>
    Relu = 6,
    /// <summary>Softplus log(1 + e^x).</summary>
    Softplus = 7,
    /// <summary>Leaky ReLU: x for x &gt; 0, else 0.01 x.</summary>
    LeakyRelu = 8,
    /// <summary>Exponential linear unit with alpha = 1: x for x &gt; 0, else e^x - 1.</summary>
    Elu = 9,
    /// <summary>Gaussian error linear unit, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
    Gelu = 10,
    /// <summary>Softmax over the layer's outputs (row-wise). Allowed on the output layer only.</summary>
    Softmax = 11,
}
