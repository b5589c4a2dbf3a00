using CompiledNets.Kernels;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// Runs one recurrent layer through the runtime's kernels (LstmKernels, GruKernels, SimpleRnnKernels) on a parameter buffer laid
/// out as <see cref="RecurrentReference"/> lays it out, with every buffer the generated code would plan, poisoned with NaN first
/// (a kernel that reads what it did not write shows).
/// </summary>
internal sealed class RecurrentKernelRunner
{
    private readonly Cell _cell;
    private readonly int _batch, _steps, _inputs, _hidden;
    private readonly bool _allSteps, _bias;
    private readonly int _width;

    public RecurrentKernelRunner(Cell cell, int batch, int steps, int inputs, int hidden, bool allSteps, bool bias)
    {
        (_cell, _batch, _steps, _inputs, _hidden, _allSteps, _bias) = (cell, batch, steps, inputs, hidden, allSteps, bias);
        _width = new RecurrentReference(cell, batch, steps, inputs, hidden, allSteps, bias).Width;
        Gates = Poisoned(batch * steps * _width);
        Cells = Poisoned(batch * steps * hidden);
        States = Poisoned(batch * steps * hidden);
        LastState = Poisoned(allSteps ? 0 : batch * hidden);
        ForwardScratch = Poisoned(batch * 3 * hidden);
        BackwardScratch = Poisoned(batch * 4 * hidden);
    }

    public float[] Gates { get; }
    public float[] Cells { get; }
    public float[] States { get; }
    public float[] LastState { get; }
    public float[] ForwardScratch { get; }
    public float[] BackwardScratch { get; }

    public int Width => _width;

    /// <summary>The layer's output as the generated code hands it on: every state, or the last one.</summary>
    public float[] Output => _allSteps ? States : LastState;

    public void Forward(float[] parameters, float[] x)
    {
        Split(parameters, out Span<float> wih, out Span<float> whh, out Span<float> bih, out Span<float> bhh);
        switch (_cell)
        {
            case Cell.Lstm:
                LstmKernels.Forward(_batch, _steps, _inputs, _hidden, x, wih, whh, bih, bhh, Gates, Cells, States, LastState);
                break;
            case Cell.Gru:
                GruKernels.Forward(_batch, _steps, _inputs, _hidden, x, wih, whh, bih, bhh, Gates, Cells, States, LastState, ForwardScratch);
                break;
            default:
                SimpleRnnKernels.Forward(_batch, _steps, _inputs, _hidden, x, wih, whh, bih, bhh, Gates, States, LastState);
                break;
        }
    }

    /// <summary>Backward from dL/d(output) = <paramref name="outputGradient"/>: returns the parameter gradients (same layout) and dx.</summary>
    public (float[] Parameters, float[] X) Backward(float[] parameters, float[] x, float[] outputGradient, bool withInputGradient = true)
    {
        Split(parameters, out Span<float> wih, out Span<float> whh, out _, out _);
        float[] gradients = Poisoned(parameters.Length);
        float[] dx = withInputGradient ? Poisoned(x.Length) : [];
        Split(gradients, out Span<float> dwih, out Span<float> dwhh, out Span<float> dbih, out Span<float> dbhh);
        switch (_cell)
        {
            case Cell.Lstm:
                LstmKernels.Backward(_batch, _steps, _inputs, _hidden, x, wih, whh, Gates, Cells, States, outputGradient, _allSteps,
                    dwih, dwhh, dbih, dbhh, dx, BackwardScratch);
                break;
            case Cell.Gru:
                GruKernels.Backward(_batch, _steps, _inputs, _hidden, x, wih, whh, Gates, Cells, States, outputGradient, _allSteps,
                    dwih, dwhh, dbih, dbhh, dx, BackwardScratch);
                break;
            default:
                SimpleRnnKernels.Backward(_batch, _steps, _inputs, _hidden, x, wih, whh, Gates, States, outputGradient, _allSteps,
                    dwih, dwhh, dbih, dbhh, dx, BackwardScratch);
                break;
        }
        return (gradients, dx);
    }

    private void Split(float[] buffer, out Span<float> wih, out Span<float> whh, out Span<float> bih, out Span<float> bhh)
    {
        int width = _width;
        Span<float> all = buffer;
        wih = all.Slice(0, width * _inputs);
        whh = all.Slice(width * _inputs, width * _hidden);
        bih = bhh = default;
        if (!_bias) return;
        int b = width * (_inputs + _hidden);
        bih = all.Slice(b, width);
        bhh = all.Slice(b + width, width);
    }

    private static float[] Poisoned(int length)
    {
        var values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }
}
