// The one table of activations: forward formula and local derivative side by side (in double precision),
// plus the facts the generator needs (kernel type name, initialisation scheme, zero gradient).
// Linked as source into the generator (to plan and emit) and into the tests (as the scalar reference the
// SIMD kernels are checked against), so both read the same truth.
using System;

namespace CompiledNets;

/// <summary>How a layer's weights are initialised for a given activation.</summary>
internal enum WeightInitialization
{
    /// <summary>Glorot/Xavier uniform: U(-sqrt(6/(fanIn+fanOut)), +sqrt(6/(fanIn+fanOut))).</summary>
    GlorotUniform = 0,
    /// <summary>He/Kaiming normal: N(0, 2/fanIn), for the ReLU family.</summary>
    HeNormal = 1,
}

/// <summary>One row of the activation table.</summary>
internal sealed class ActivationInfo
{
    public ActivationInfo(Activation kind, string kernelTypeName, WeightInitialization initialization, bool hasZeroGradient,
        Func<double, double> forward, Func<double, double> derivative)
    {
        Kind = kind;
        KernelTypeName = kernelTypeName;
        Initialization = initialization;
        HasZeroGradient = hasZeroGradient;
        Forward = forward;
        Derivative = derivative;
    }

    public Activation Kind { get; }

    /// <summary>Name of the runtime struct in <c>CompiledNets.Kernels</c> that implements <c>IActivation</c>.</summary>
    public string KernelTypeName { get; }

    public WeightInitialization Initialization { get; }

    /// <summary>True when the derivative is zero almost everywhere, so layers below it never learn.</summary>
    public bool HasZeroGradient { get; }

    /// <summary>Scalar forward in double precision (not defined for Softmax, which is row-wise).</summary>
    public Func<double, double> Forward { get; }

    /// <summary>Scalar local derivative df/dx in double precision (not defined for Softmax).</summary>
    public Func<double, double> Derivative { get; }
}

internal static class ActivationCatalog
{
    public const double LeakyReluSlope = 0.01;
    public const double EluAlpha = 1.0;
    public const double HardSigmoidSlope = 0.2;
    public const double HardSigmoidOffset = 0.5;
    private const double GeluC = 0.7978845608028654; // sqrt(2 / pi)
    private const double GeluA = 0.044715;

    private static readonly ActivationInfo[] s_table =
    {
        new(Activation.Identity, "IdentityActivation", WeightInitialization.GlorotUniform, false,
            x => x,
            _ => 1.0),
        new(Activation.Step, "StepActivation", WeightInitialization.GlorotUniform, true,
            x => x >= 0 ? 1.0 : 0.0,
            _ => 0.0),
        new(Activation.Sign, "SignActivation", WeightInitialization.GlorotUniform, true,
            x => x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0,
            _ => 0.0),
        new(Activation.HardSigmoid, "HardSigmoidActivation", WeightInitialization.GlorotUniform, false,
            x => Math.Min(1.0, Math.Max(0.0, HardSigmoidSlope * x + HardSigmoidOffset)),
            x => Math.Abs(x) < HardSigmoidOffset / HardSigmoidSlope ? HardSigmoidSlope : 0.0),
        new(Activation.Sigmoid, "SigmoidActivation", WeightInitialization.GlorotUniform, false,
            x => 1.0 / (1.0 + Math.Exp(-x)),
            x => { double s = 1.0 / (1.0 + Math.Exp(-x)); return s * (1.0 - s); }),
        new(Activation.Tanh, "TanhActivation", WeightInitialization.GlorotUniform, false,
            Math.Tanh,
            x => { double t = Math.Tanh(x); return 1.0 - t * t; }),
        new(Activation.Relu, "ReluActivation", WeightInitialization.HeNormal, false,
            x => x > 0 ? x : 0.0,
            x => x > 0 ? 1.0 : 0.0),
        new(Activation.Softplus, "SoftplusActivation", WeightInitialization.HeNormal, false,
            x => x > 30 ? x : Math.Log(1.0 + Math.Exp(x)),
            x => 1.0 / (1.0 + Math.Exp(-x))),
        new(Activation.LeakyRelu, "LeakyReluActivation", WeightInitialization.HeNormal, false,
            x => x > 0 ? x : LeakyReluSlope * x,
            x => x > 0 ? 1.0 : LeakyReluSlope),
        new(Activation.Elu, "EluActivation", WeightInitialization.HeNormal, false,
            x => x > 0 ? x : EluAlpha * (Math.Exp(x) - 1.0),
            x => x > 0 ? 1.0 : EluAlpha * Math.Exp(x)),
        new(Activation.Gelu, "GeluActivation", WeightInitialization.HeNormal, false,
            x => 0.5 * x * (1.0 + Math.Tanh(GeluC * (x + GeluA * x * x * x))),
            x =>
            {
                double u = GeluC * (x + GeluA * x * x * x);
                double t = Math.Tanh(u);
                return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GeluC * (1.0 + 3.0 * GeluA * x * x);
            }),
        new(Activation.Softmax, "SoftmaxActivation", WeightInitialization.GlorotUniform, false,
            _ => throw new InvalidOperationException("Softmax is row-wise; use ActivationCatalog.Softmax."),
            _ => throw new InvalidOperationException("Softmax is row-wise; use ActivationCatalog.Softmax.")),
    };

    /// <summary>Every activation, indexed by its enum value.</summary>
    public static ActivationInfo[] All => s_table;

    /// <summary>Looks up an activation; returns null for a value outside the enum (user code can cast any int).</summary>
    public static ActivationInfo? Find(int value) =>
        value >= 0 && value < s_table.Length ? s_table[value] : null;

    public static ActivationInfo Get(Activation kind) => s_table[(int)kind];

    /// <summary>Reference softmax in double precision, stabilised by the row maximum.</summary>
    public static double[] Softmax(double[] z)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z) max = Math.Max(max, v);
        var result = new double[z.Length];
        double sum = 0;
        for (int i = 0; i < z.Length; i++) { result[i] = Math.Exp(z[i] - max); sum += result[i]; }
        for (int i = 0; i < z.Length; i++) result[i] /= sum;
        return result;
    }
}
