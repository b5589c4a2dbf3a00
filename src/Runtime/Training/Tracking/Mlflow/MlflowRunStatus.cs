namespace CompiledNets.Training.Tracking;

/// <summary>MLflow's run status, with the integer values its file store writes in <c>meta.yaml</c>.</summary>
public enum MlflowRunStatus
{
    /// <summary>The run is in progress.</summary>
    Running = 1,
    /// <summary>Scheduled, not started.</summary>
    Scheduled = 2,
    /// <summary>Finished normally.</summary>
    Finished = 3,
    /// <summary>Ended by an error.</summary>
    Failed = 4,
    /// <summary>Stopped from outside (cancelled).</summary>
    Killed = 5,
}
