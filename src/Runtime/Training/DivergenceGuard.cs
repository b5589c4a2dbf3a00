using System.Globalization;
using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>
/// Stops a training run that diverges, with an <see cref="InvalidOperationException"/> that names the step: a loss
/// that is NaN or infinite, a loss that has grown by <see cref="GrowthLimit"/> or more over the run's first loss (and
/// over 1, so a run that starts near zero is not stopped for ordinary noise), or weights that became NaN or infinite.
/// A NaN stops nothing by itself in most optimizers (it just spreads), and a loss climbing to 1e16 is finite but
/// already meaningless, so both are caught here. When early stopping holds the best weights so far
/// (<see cref="EarlyStopping.RestoreBestWeights"/>), they are put back before the error is thrown.
/// </summary>
internal sealed class DivergenceGuard(EarlyStopping? earlyStopping)
{
    /// <summary>How many times the first loss (or 1, whichever is larger) a loss may reach before the run is stopped.</summary>
    public const double GrowthLimit = 1e4;

    private double _reference = double.NaN;
    private long _step; // steps checked so far in this run

    /// <summary>Checks a batch's loss before its step is applied.</summary>
    public void CheckLoss(double loss, int epoch, int batch, float learningRate, Span<float> parameters)
    {
        long step = _step++;
        if (double.IsNaN(_reference) && double.IsFinite(loss)) _reference = Math.Max(Math.Abs(loss), 1);
        if (double.IsFinite(loss) && !(Math.Abs(loss) >= GrowthLimit * _reference)) return;
        string problem = double.IsFinite(loss)
            ? $"the loss of epoch {epoch + 1}, batch {batch + 1} (step {step + 1}) is {Format(loss)}, {GrowthLimit:0}x or more above the run's first loss ({Format(_reference)})"
            : $"the loss of epoch {epoch + 1}, batch {batch + 1} (step {step + 1}) is {Format(loss)}";
        throw Diverged(problem + "; the step was not applied", learningRate, parameters);
    }

    /// <summary>Checks the weights after a step.</summary>
    public void CheckWeights(Span<float> parameters, int epoch, int batch, float learningRate)
    {
        long step = _step - 1;
        if (TensorPrimitives.IsFiniteAll<float>(parameters)) return;
        int index = 0;
        while (float.IsFinite(parameters[index])) index++;
        throw Diverged($"after the step of epoch {epoch + 1}, batch {batch + 1} (step {step + 1}) parameter {index} is {Format(parameters[index])}",
            learningRate, parameters);
    }

    private InvalidOperationException Diverged(string problem, float learningRate, Span<float> parameters)
    {
        string restored = earlyStopping?.TryRestoreBestWeights(parameters) == true
            ? " The weights of the best epoch so far (kept by early stopping) were restored."
            : "";

        return new InvalidOperationException(
            $"Training diverged: {problem} (learning rate {Format(learningRate)}).{restored} Lower the learning rate, clip gradients (TrainingOptions.GradientClipNorm) or check the data.");
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
