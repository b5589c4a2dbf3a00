using CompiledNets.Kernels;

namespace CompiledNets.Training;

/// <summary>
/// The unfused path of a loss: turns dLoss/dy into dLoss/dz in place through the output activation's derivative,
/// dispatching once per batch from the run-time <see cref="Activation"/> value to the activation kernel struct.
/// </summary>
internal static class OutputActivationBackward
{
    public static void Apply(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> gradient, int batchSize, int width)
    {
        switch (activation)
        {
            case Activation.Identity: return;
            case Activation.Step: StepActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Sign: SignActivation.Backward(z, y, gradient, gradient); return;
            case Activation.HardSigmoid: HardSigmoidActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Sigmoid: SigmoidActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Tanh: TanhActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Relu: ReluActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Softplus: SoftplusActivation.Backward(z, y, gradient, gradient); return;
            case Activation.LeakyRelu: LeakyReluActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Elu: EluActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Gelu: GeluActivation.Backward(z, y, gradient, gradient); return;
            case Activation.Softmax:
                // Row-wise: the Jacobian couples a row's outputs, so each row is one call.
                for (int r = 0; r < batchSize; r++)
                {
                    Span<float> row = gradient.Slice(r * width, width);
                    SoftmaxActivation.Backward(z.Slice(r * width, width), y.Slice(r * width, width), row, row);
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown output activation.");
        }
    }
}
