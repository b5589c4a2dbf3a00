using CompiledNets.Gpu.Kernels;
using CompiledNets.Training;
using ILGPU;
using ILGPU.Runtime;

namespace CompiledNets.Gpu;

/// <summary>
/// An optimizer's state on the device and its update kernel: SGD (momentum, Nesterov, weight decay), Adam and AdamW
/// with the same arithmetic as the CPU classes, so a step on the device equals a step on the host to rounding.
/// Hyperparameters and the learning rate are read from the host optimizer every step (schedules keep working);
/// the state is uploaded from <see cref="IOptimizer.State"/> at the start and copied back at the end.
/// </summary>
internal sealed class DeviceOptimizer : IDisposable
{
    private readonly GpuDevice _device;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _decayed;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _state;
    private readonly int _count;

    private DeviceOptimizer(GpuDevice device, IOptimizer optimizer, IReadOnlyList<ParameterTensor> tensors, int count, bool decayBiases)
    {
        _device = device;
        _count = count;
        var decayed = new float[count];
        decayed.AsSpan().Fill(1f);
        if (!decayBiases)
        {
            foreach (ParameterTensor tensor in tensors)
                if (tensor.IsBias) decayed.AsSpan(tensor.Offset, tensor.Length).Clear();
        }
        _decayed = device.Allocate<float>(count, "the optimizer's weight-decay mask");
        _decayed.View.CopyFromCPU(decayed);
        _state = new MemoryBuffer1D<float, Stride1D.Dense>[optimizer.State.Count];
        for (int i = 0; i < _state.Length; i++)
        {
            _state[i] = device.Allocate<float>(count, $"the optimizer's state \"{optimizer.State[i].Name}\"");
            _state[i].View.CopyFromCPU(optimizer.State[i].Values);
        }
    }

    /// <summary>Null when the optimizer has no device kernel (a user's own): the trainer then steps on the host.</summary>
    public static DeviceOptimizer? TryCreate(GpuDevice device, IOptimizer optimizer, IReadOnlyList<ParameterTensor> tensors, int count)
    {
        if (optimizer.State.Any(s => s.Values.Length != count)) return null;
        return optimizer switch
        {
            Sgd sgd when sgd.Momentum == 0f || optimizer.State.Count == 1 => new DeviceOptimizer(device, optimizer, tensors, count, sgd.DecayBiases),
            AdamBase adam when adam is Adam or AdamW && optimizer.State.Count == 2 => new DeviceOptimizer(device, optimizer, tensors, count, adam.DecayBiases),
            _ => null,
        };
    }

    public void Step(ArrayView<float> parameters, ArrayView<float> gradients, IOptimizer optimizer)
    {
        if (optimizer is Sgd sgd)
        {
            ArrayView<float> buffer = _state.Length > 0 ? _state[0].View : _device.Dummy.View;
            _device.Sgd(_count, parameters, gradients, buffer, _decayed.View, sgd.LearningRate, sgd.WeightDecay, sgd.Momentum, sgd.Nesterov ? 1 : 0);
            sgd.StepCount++;
            return;
        }
        var adam = (AdamBase)optimizer;
        // The scalars exactly as AdamBase.Step computes them.
        long t = adam.StepCount + 1;
        double correction1 = 1.0 - Math.Pow(adam.Beta1, t);
        double correction2 = 1.0 - Math.Pow(adam.Beta2, t);
        var args = new AdamArguments
        {
            LearningRate = adam.LearningRate,
            WeightDecay = adam.WeightDecay,
            Beta1 = adam.Beta1,
            Beta2 = adam.Beta2,
            StepSize = (float)(adam.LearningRate / correction1),
            InverseSqrtCorrection2 = (float)(1.0 / Math.Sqrt(correction2)),
            Epsilon = adam.Epsilon,
            Decoupled = adam is AdamW ? 1 : 0,
        };
        _device.Adam(_count, parameters, gradients, _state[0].View, _state[1].View, _decayed.View, args);
        adam.StepCount = t;
    }

    public void CopyStateTo(IOptimizer optimizer)
    {
        _device.Synchronize();
        for (int i = 0; i < _state.Length; i++) _state[i].View.CopyToCPU(optimizer.State[i].Values);
    }

    public void Dispose()
    {
        _decayed.Dispose();
        foreach (MemoryBuffer1D<float, Stride1D.Dense> buffer in _state) buffer.Dispose();
    }
}
