using System.Runtime.InteropServices;
using CompiledNets.Data;
using CompiledNets.Training;
using ILGPU;
using ILGPU.Runtime;

namespace CompiledNets.Gpu;

/// <summary>
/// Runs a generated network on a <see cref="GpuDevice"/>: the parameters, gradients, optimizer state and the whole
/// training workspace stay on the device, and the same <see cref="Trainer{TNetwork}"/> trains it
/// (<c>new Trainer&lt;GpuNetwork&lt;FashionMlp&gt;&gt;(gpuNet, new Adam(1e-3), Loss.SoftmaxCrossEntropy)</c>).
/// The training set is held on the device when it fits (steps send row indices; otherwise batches are uploaded
/// double-buffered on a copy stream, overlapping the previous step), softmax + cross-entropy runs there
/// fused, and backward and the optimizer step run there (<see cref="IDeviceTrainingStep"/>); other losses run on
/// the host from the downloaded outputs (a few floats per sample). <see cref="Parameters"/> brings the weights
/// back, so checkpoints, the parameter layout and the names are exactly the CPU network's: train here, save, and
/// load into the CPU network. One device workspace serves every call: <see cref="PredictBatch"/> may be called
/// from several threads (calls take turns); training is single-threaded, as on the CPU.
/// </summary>
/// <typeparam name="TNetwork">A generated network compiled in a project that references CompiledNets.Gpu.</typeparam>
public sealed class GpuNetwork<TNetwork> : ITrainableNetwork, IDeviceTrainingStep, IDisposable
    where TNetwork : ITrainableNetwork, IGpuNetwork
{
    private readonly TNetwork _host;
    private readonly GpuDevice _device;
    private readonly GpuPass _pass;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _gradients;
    // Two device input buffers (double buffering) for batches uploaded from the host: batch i+1 is copied on
    // _copyStream into the buffer batch i does not use, while batch i's backward and optimizer step still run.
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _inputs = new MemoryBuffer1D<float, Stride1D.Dense>?[2];
    private readonly bool[] _inputsInUse = new bool[2]; // compute that reads the buffer may still be queued
    private int _inputSlot;                              // the buffer the last forward read
    private AcceleratorStream? _copyStream;
    private PageLockedArray1D<float>? _staging;          // page-locked host memory the copies read from
    private MemoryBuffer1D<float, Stride1D.Dense>? _workspace;
    private DeviceOptimizer? _optimizer;
    private MemoryBuffer1D<float, Stride1D.Dense>? _trainingSet;
    private MemoryBuffer1D<int, Stride1D.Dense>? _rows;
    private MemoryBuffer1D<int, Stride1D.Dense>? _labels;
    private MemoryBuffer1D<float, Stride1D.Dense>? _rowLoss;   // per sample: loss, then 1/0 for a correct argmax
    private float[] _hostRowLoss = [];
    private bool _fusedLoss;                // this Fit's loss runs on the device (softmax + cross-entropy)
    private bool _outputGradientsOnDevice;  // the fused loss wrote dLoss/dz on the device: nothing to upload
    private int _lastBatch;
    private readonly Lock _predictLock = new();
    private int _capacity;
    private bool _deviceAhead;       // the device's parameters changed since the host copy was taken
    private bool _hostMayBeAhead = true; // someone held the host span: upload before the device reads parameters
    private bool _disposed;

    /// <summary>Moves <paramref name="network"/> (its current weights) onto <paramref name="device"/>.</summary>
    public GpuNetwork(TNetwork network, GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        _host = network;
        _device = device;
        _pass = new GpuPass(device);
        _parameters = device.Allocate<float>(TNetwork.ParameterCount, $"{TNetwork.NetworkName}'s parameters");
        _gradients = device.Allocate<float>(TNetwork.ParameterCount, $"{TNetwork.NetworkName}'s gradients");
        _pass.ParameterBuffer = _parameters.View;
        _pass.GradientBuffer = _gradients.View;
    }

    /// <summary>Optimizer steps taken on the device (as opposed to the host fallback), for tests and diagnostics.</summary>
    public long DeviceSteps { get; private set; }

    /// <summary>Training batches gathered on the device from a held training set (no rows uploaded), for tests and diagnostics.</summary>
    public long GatheredBatches { get; private set; }

    /// <summary>
    /// Training batches uploaded from the host (the training set was not held on the device), each copied on a
    /// second stream while the previous batch's backward and optimizer step ran. For tests and diagnostics.
    /// </summary>
    public long UploadedBatches { get; private set; }

    /// <summary>
    /// The most bytes of training-set features held on the device; <c>null</c>: half the device's memory. Tests
    /// set 0 to force the uploaded (overlapped) path.
    /// </summary>
    internal long? ResidentTrainingSetLimit { get; set; }

    /// <summary>Batches whose loss (softmax + cross-entropy) was computed on the device, for tests and diagnostics.</summary>
    public long DeviceLossBatches { get; private set; }

    /// <summary>The device this network runs on.</summary>
    public GpuDevice Device => _device;

    /// <summary>The CPU network with the device's current weights copied into it (for CPU inference, AOT export).</summary>
    public TNetwork HostNetwork
    {
        get
        {
            _ = Parameters;
            return _host;
        }
    }

    /// <inheritdoc />
    public static int InputSize => TNetwork.InputSize;

    /// <inheritdoc />
    public static int OutputSize => TNetwork.OutputSize;

    /// <inheritdoc />
    public static int ParameterCount => TNetwork.ParameterCount;

    /// <summary>None: inference runs in the device workspace.</summary>
    public static int InferenceWorkspacePerSample => 0;

    /// <inheritdoc />
    public static Activation OutputActivation => TNetwork.OutputActivation;

    /// <inheritdoc />
    public static IReadOnlyList<ParameterTensor> ParameterTensors => TNetwork.ParameterTensors;

    /// <inheritdoc />
    public static string NetworkName => TNetwork.NetworkName;

    /// <summary>
    /// The host workspace holds only what the loss reads and writes: the output layer's pre-activations,
    /// activations and gradients. Everything else is in the device workspace.
    /// </summary>
    public static int TrainingWorkspacePerSample => 3 * TNetwork.OutputSize;

    /// <inheritdoc />
    public static bool HasZeroGradientActivation => TNetwork.HasZeroGradientActivation;

    /// <inheritdoc />
    public static bool HasDropout => TNetwork.HasDropout;

    /// <inheritdoc />
    public static Span<float> OutputPreActivations(Span<float> workspace, int batchSize) => workspace.Slice(0, batchSize * TNetwork.OutputSize);

    /// <inheritdoc />
    public static Span<float> Outputs(Span<float> workspace, int batchSize) => workspace.Slice(batchSize * TNetwork.OutputSize, batchSize * TNetwork.OutputSize);

    /// <inheritdoc />
    public static Span<float> OutputGradients(Span<float> workspace, int batchSize) => workspace.Slice(2 * batchSize * TNetwork.OutputSize, batchSize * TNetwork.OutputSize);

    /// <summary>
    /// The weights, brought back from the device when it changed them. Writes into the span reach the device:
    /// after this getter the host copy is uploaded again before the device next reads the parameters.
    /// </summary>
    public Span<float> Parameters
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Span<float> host = _host.Parameters;
            if (_deviceAhead)
            {
                Download(_parameters.View, host);
                _deviceAhead = false;
            }
            _hostMayBeAhead = true;
            return host;
        }
    }

    /// <inheritdoc />
    public void Initialize(int seed)
    {
        _host.Initialize(seed);
        _deviceAhead = false;
        _hostMayBeAhead = true;
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> input, Span<float> output) => PredictBatch(input, output, 1, default);

    /// <inheritdoc />
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace)
    {
        CheckBatch(inputs.Length, batchSize);
        if (outputs.Length != (long)batchSize * OutputSize)
            throw new ArgumentException($"outputs has {outputs.Length} values, expected batchSize * OutputSize = {(long)batchSize * OutputSize}.", nameof(outputs));
        lock (_predictLock)
        {
            RunForward(inputs, batchSize, training: false, dropoutSeed: 0);
            Download(_pass.Workspace(TNetwork.OutputsOffset, OutputSize, batchSize), outputs);
        }
    }

    /// <inheritdoc />
    public void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed)
    {
        CheckBatch(inputs.Length, batchSize);
        CheckWorkspace(workspace.Length, batchSize);
        RunForward(inputs, batchSize, training, dropoutSeed);
        if (training) UploadedBatches++;
        DownloadOutputs(workspace, batchSize);
    }

    private void DownloadOutputs(Span<float> workspace, int batchSize)
    {
        Download(_pass.Workspace(TNetwork.OutputPreActivationsOffset, OutputSize, batchSize), OutputPreActivations(workspace, batchSize));
        Download(_pass.Workspace(TNetwork.OutputsOffset, OutputSize, batchSize), Outputs(workspace, batchSize));
    }

    /// <summary>Backward on the device over the inputs of the last <see cref="ForwardTraining"/>; the gradients come back into <paramref name="gradients"/>.</summary>
    public void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients)
    {
        if (gradients.Length != ParameterCount)
            throw new ArgumentException($"gradients has {gradients.Length} values, expected ParameterCount = {ParameterCount}.", nameof(gradients));
        RunBackward(inputs, batchSize, workspace);
        Download(_gradients.View, gradients);
    }

    bool IDeviceTrainingStep.BeginDeviceTraining(IOptimizer optimizer)
    {
        _optimizer?.Dispose();
        _optimizer = DeviceOptimizer.TryCreate(_device, optimizer, TNetwork.ParameterTensors, ParameterCount);
        return _optimizer is not null;
    }

    /// <summary>Keeps the training set's features on the device when they fit in half its memory; steps then upload only row indices.</summary>
    bool IDeviceTrainingStep.TryHoldTrainingSet(Dataset train)
    {
        ReleaseTrainingSet();
        long limit = ResidentTrainingSetLimit ?? _device.MemorySize / 2;
        if (train.FeatureCount != InputSize || (long)train.Features.Length * sizeof(float) > limit) return false;
        try
        {
            _trainingSet = _device.Allocate<float>(train.Features.Length, "the training set");
        }
        catch (GpuDeviceException)
        {
            return false; // it did not fit after all: batches are uploaded step by step instead
        }
        Upload<float>(train.Features, _trainingSet.View);
        return true;
    }

    void IDeviceTrainingStep.ForwardTrainingRows(ReadOnlySpan<int> rows, Span<float> workspace, bool training, ulong dropoutSeed)
    {
        if (_trainingSet is null) throw new InvalidOperationException("TryHoldTrainingSet did not hold a training set.");
        int batchSize = rows.Length;
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(rows), "At least one row is needed.");
        CheckWorkspace(workspace.Length, batchSize);
        EnsureCapacity(batchSize);
        UploadParametersIfNeeded();
        UseInputSlot(_inputSlot); // the gather writes the buffer in stream order: no second buffer needed
        if (_rows is null || _rows.Length < batchSize)
        {
            _rows?.Dispose();
            _rows = _device.Allocate<int>(batchSize, $"the row indices of a batch of {batchSize}");
        }
        Upload(rows, _rows.View);
        _device.GatherRows(batchSize * InputSize, _trainingSet.View, _rows.View, _pass.Inputs(batchSize, InputSize), InputSize);
        _host.ForwardOnDevice(_pass, batchSize, training, dropoutSeed); // reads the host network's dropout rates
        _lastBatch = batchSize;
        _outputGradientsOnDevice = false;
        if (!_fusedLoss) DownloadOutputs(workspace, batchSize); // the fused loss reads the logits where they are
        GatheredBatches++;
    }

    bool IDeviceTrainingStep.TryComputeLossOnDevice(Loss loss)
    {
        _fusedLoss = ReferenceEquals(loss, Loss.SoftmaxCrossEntropy) && loss.Supports(OutputActivation);
        return _fusedLoss;
    }

    double IDeviceTrainingStep.ComputeLoss(ReadOnlySpan<int> labels, out int correct)
    {
        int batchSize = labels.Length;
        if (batchSize != _lastBatch) throw new InvalidOperationException($"ComputeLoss got {batchSize} labels for a forward pass over {_lastBatch} samples.");
        if (_labels is null || _labels.Length < batchSize)
        {
            _labels?.Dispose();
            _rowLoss?.Dispose();
            _labels = _device.Allocate<int>(batchSize, $"the labels of a batch of {batchSize}");
            _rowLoss = _device.Allocate<float>(2L * batchSize, $"the per-sample losses of a batch of {batchSize}");
            _hostRowLoss = new float[2 * batchSize];
        }
        Upload(labels, _labels.View);
        ArrayView<float> perSample = _rowLoss!.View.SubView(0, 2L * batchSize);
        _device.SoftmaxCrossEntropy(batchSize, _pass.Workspace(TNetwork.OutputPreActivationsOffset, OutputSize, batchSize), _labels.View,
            _pass.Workspace(TNetwork.OutputGradientsOffset, OutputSize, batchSize), perSample.SubView(0, batchSize), perSample.SubView(batchSize, batchSize),
            OutputSize, 1f / batchSize);
        Span<float> host = _hostRowLoss.AsSpan(0, 2 * batchSize);
        Download(perSample, host);
        double total = 0;
        correct = 0;
        for (int r = 0; r < batchSize; r++)
        {
            total += host[r];
            if (host[batchSize + r] != 0f) correct++;
        }
        _outputGradientsOnDevice = true;
        DeviceLossBatches++;
        return total / batchSize;
    }

    void IDeviceTrainingStep.BackwardAndStep(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, IOptimizer optimizer)
    {
        if (_optimizer is null) throw new InvalidOperationException("BeginDeviceTraining was not called (or refused this optimizer).");
        RunBackward(inputs, batchSize, workspace);
        _optimizer.Step(_parameters.View, _gradients.View, optimizer);
        _deviceAhead = true;
        DeviceSteps++;
    }

    void IDeviceTrainingStep.EndDeviceTraining(IOptimizer optimizer)
    {
        if (_optimizer is null) return;
        ReleaseTrainingSet();
        _fusedLoss = false;
        _outputGradientsOnDevice = false;
        _optimizer.CopyStateTo(optimizer);
        _optimizer.Dispose();
        _optimizer = null;
    }

    private void ReleaseTrainingSet()
    {
        _trainingSet?.Dispose();
        _trainingSet = null;
    }

    private void RunForward(ReadOnlySpan<float> inputs, int batchSize, bool training, ulong dropoutSeed)
    {
        EnsureCapacity(batchSize);
        UploadParametersIfNeeded();
        UploadInputs(inputs);
        _host.ForwardOnDevice(_pass, batchSize, training, dropoutSeed); // reads the host network's dropout rates
        _lastBatch = batchSize;
        _outputGradientsOnDevice = false;
    }

    private void RunBackward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace)
    {
        // Empty inputs: the forward gathered them from the training set held on the device.
        if (!inputs.IsEmpty || _trainingSet is null) CheckBatch(inputs.Length, batchSize);
        CheckWorkspace(workspace.Length, batchSize);
        if (batchSize > _capacity) throw new InvalidOperationException("Backward needs a ForwardTraining over the same batch first.");
        UploadParametersIfNeeded();
        if (!_outputGradientsOnDevice)
            Upload(OutputGradients(workspace, batchSize), _pass.Workspace(TNetwork.OutputGradientsOffset, OutputSize, batchSize));
        _outputGradientsOnDevice = false;
        _inputsInUse[_inputSlot] = true; // the weight gradients read the forward's inputs
        TNetwork.BackwardOnDevice(_pass, batchSize);
    }

    private void UploadParametersIfNeeded()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hostMayBeAhead) return;
        Upload(_host.Parameters, _parameters.View);
        _hostMayBeAhead = false;
        _deviceAhead = false;
    }

    /// <summary>Device buffers grow to the largest batch seen and are reused: no allocation per step.</summary>
    private void EnsureCapacity(int batchSize)
    {
        if (batchSize <= _capacity) return;
        SynchronizeCompute(); // nothing queued may still read the buffers freed here
        ReleaseInputs();
        _workspace?.Dispose();
        _workspace = null;
        _capacity = 0;
        _inputs[0] = _device.Allocate<float>((long)batchSize * InputSize, $"a batch of {batchSize} inputs");
        _workspace = _device.Allocate<float>((long)batchSize * TNetwork.TrainingWorkspacePerSample, $"the training workspace for a batch of {batchSize}");
        _pass.WorkspaceBuffer = _workspace.View;
        _capacity = batchSize;
        UseInputSlot(0);
    }

    /// <summary>
    /// Uploads a batch from the host into the input buffer the previous batch does not use, on the copy stream and
    /// from page-locked memory, so the copy overlaps the previous batch's backward and optimizer step still queued
    /// on the compute stream. The copy stream is synchronised before the compute stream may read the buffer, and a
    /// buffer is overwritten only once no queued work reads it. The same floats land as with a synchronous copy.
    /// </summary>
    private unsafe void UploadInputs(ReadOnlySpan<float> inputs)
    {
        int slot = 1 - _inputSlot;
        _inputs[slot] ??= _device.Allocate<float>((long)_capacity * InputSize, $"a second batch of {_capacity} inputs");
        if (_inputsInUse[slot]) SynchronizeCompute();
        _copyStream ??= _device.Accelerator.CreateStream();
        if (_staging is null || _staging.Length < (long)_capacity * InputSize)
        {
            _staging?.Dispose();
            _staging = null;
            _staging = _device.Accelerator.AllocatePageLocked1D<float>((long)_capacity * InputSize);
        }
        Span<float> staging = _staging.Span.Slice(0, inputs.Length);
        inputs.CopyTo(staging); // the staging copy is free: the last copy from it was synchronised
        ArrayView<float> target = _inputs[slot]!.View;
        target.SubView(0, inputs.Length).CopyFromCPUUnsafeAsync(_copyStream, ref MemoryMarshal.GetReference(staging), inputs.Length);
        _copyStream.Synchronize();
        UseInputSlot(slot);
    }

    private void UseInputSlot(int slot)
    {
        _inputSlot = slot;
        _pass.InputBuffer = _inputs[slot]!.View;
        _inputsInUse[slot] = true; // the forward about to be queued reads it
    }

    /// <summary>Waits for all queued device work; afterwards no input buffer is in use.</summary>
    private void SynchronizeCompute()
    {
        _device.Synchronize();
        Array.Clear(_inputsInUse);
    }

    private void ReleaseInputs()
    {
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i]?.Dispose();
            _inputs[i] = null;
        }
        _staging?.Dispose();
        _staging = null;
    }

    // Host memory is pinned for the copy and the stream synchronised before the pin is released.
    private unsafe void Upload<T>(ReadOnlySpan<T> source, ArrayView<T> target)
        where T : unmanaged
    {
        if (source.IsEmpty) return;
        fixed (T* pinned = source)
        {
            target.SubView(0, source.Length).CopyFromCPUUnsafeAsync(ref MemoryMarshal.GetReference(source), source.Length);
            SynchronizeCompute();
        }
    }

    private unsafe void Download(ArrayView<float> source, Span<float> target)
    {
        if (target.IsEmpty) return;
        fixed (float* pinned = target)
        {
            source.SubView(0, target.Length).CopyToCPUUnsafeAsync(ref MemoryMarshal.GetReference(target), target.Length);
            SynchronizeCompute();
        }
    }

    private static void CheckBatch(int inputLength, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (inputLength != (long)batchSize * InputSize)
            throw new ArgumentException($"inputs has {inputLength} values, expected batchSize * InputSize = {(long)batchSize * InputSize}.", "inputs");
    }

    private static void CheckWorkspace(int length, int batchSize)
    {
        if (length < (long)batchSize * TrainingWorkspacePerSample)
            throw new ArgumentException($"workspace has {length} floats, expected at least batchSize * TrainingWorkspacePerSample = {(long)batchSize * TrainingWorkspacePerSample}.", "workspace");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_capacity > 0) _device.Synchronize();
        _optimizer?.Dispose();
        ReleaseTrainingSet();
        _rows?.Dispose();
        _labels?.Dispose();
        _rowLoss?.Dispose();
        ReleaseInputs();
        _copyStream?.Dispose();
        _workspace?.Dispose();
        _gradients.Dispose();
        _parameters.Dispose();
    }
}
