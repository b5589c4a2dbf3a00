namespace CompiledNets.Distributed;

/// <summary>How the processes of a data-parallel run combine their work.</summary>
public enum DataParallelMode
{
    /// <summary>
    /// Every step, the gradients are summed over all processes (one allreduce of the gradient buffer) and every process
    /// applies the same step: the weights are those of one process with the same global batch, to float rounding, and
    /// identical on every process. The default, and what Horovod and PyTorch DDP do.
    /// </summary>
    SynchronousGradients,

    /// <summary>
    /// Every process steps on its own shard's gradient and the parameters are averaged every
    /// <see cref="MpiDataParallelism.AveragingInterval"/> steps (and at the end of each epoch): one allreduce per k steps
    /// instead of per step, so less communication, at the price of a different (noisier) trajectory than one process.
    /// Worth it when the network is large and the link slow, so that communication dominates the step.
    /// </summary>
    ParameterAveraging,
}
