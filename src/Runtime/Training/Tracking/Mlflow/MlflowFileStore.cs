using System.Security.Cryptography;

namespace CompiledNets.Training.Tracking;

/// <summary>
/// Writes MLflow's local file store (<c>mlruns/</c>), the layout <c>mlflow.set_tracking_uri("file:...")</c>, the MLflow UI
/// (<c>mlflow ui --backend-store-uri ./mlruns</c>) and <c>MlflowClient</c> read: no MLflow install, no server.
/// <code>
/// mlruns/.trash/
/// mlruns/{experiment_id}/meta.yaml                  artifact_location, creation_time, experiment_id, last_update_time, lifecycle_stage, name
/// mlruns/{experiment_id}/{run_id}/meta.yaml         run_id, run_uuid, run_name, experiment_id, status (1 running, 3 finished, 4 failed, 5 killed),
///                                                   start_time, end_time (ms), artifact_uri, lifecycle_stage, user_id, source_*, tags: []
/// mlruns/{experiment_id}/{run_id}/params/{key}      the value (no newline)
/// mlruns/{experiment_id}/{run_id}/metrics/{key}     one line per value: "{timestamp_ms} {value} {step}"
/// mlruns/{experiment_id}/{run_id}/tags/{key}        the value (mlflow.runName, mlflow.user, mlflow.source.name, ...)
/// mlruns/{experiment_id}/{run_id}/artifacts/...     any files
/// </code>
/// The experiment "Default" has id "0", as MLflow creates it; other experiments get a random integer id, as MLflow does.
/// </summary>
public sealed class MlflowFileStore
{
    private const string MetaFile = "meta.yaml";

    /// <summary>Opens (and creates when missing, with the Default experiment) a store rooted at <paramref name="rootDirectory"/>.</summary>
    public MlflowFileStore(string rootDirectory = "mlruns", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        Time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(RootDirectory);
        Directory.CreateDirectory(Path.Combine(RootDirectory, ".trash"));
        if (!File.Exists(Path.Combine(RootDirectory, "0", MetaFile))) CreateExperimentWithId("0", "Default");
    }

    /// <summary>The store's root folder (absolute).</summary>
    public string RootDirectory { get; }

    internal TimeProvider Time { get; }

    internal long NowMilliseconds => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The id of the experiment named <paramref name="name"/>, created when missing.</summary>
    public string GetOrCreateExperiment(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (string directory in Directory.EnumerateDirectories(RootDirectory))
        {
            string meta = Path.Combine(directory, MetaFile);
            if (!File.Exists(meta)) continue;
            var entries = MlflowYaml.Read(File.ReadAllText(meta));
            if (entries.GetValueOrDefault("name") == name && entries.GetValueOrDefault("lifecycle_stage") == "active")
                return entries["experiment_id"] ?? Path.GetFileName(directory);
        }
        // MLflow's FileStore draws a random positive integer id.
        string id = (RandomNumberGenerator.GetInt32(1, int.MaxValue) * 1000L + RandomNumberGenerator.GetInt32(0, 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        CreateExperimentWithId(id, name);
        return id;
    }

    /// <summary>Starts a run (status RUNNING) in experiment <paramref name="experimentId"/>.</summary>
    public MlflowRun CreateRun(string experimentId, string runName, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(experimentId);
        ArgumentException.ThrowIfNullOrEmpty(runName);
        string experimentDirectory = Path.Combine(RootDirectory, experimentId);
        if (!File.Exists(Path.Combine(experimentDirectory, MetaFile)))
            throw new ArgumentException($"MLflow experiment '{experimentId}' does not exist in {RootDirectory}.", nameof(experimentId));
        string runId = Guid.NewGuid().ToString("N");
        var run = new MlflowRun(this, experimentId, runId, Path.Combine(experimentDirectory, runId), runName, NowMilliseconds);
        Directory.CreateDirectory(run.Directory);
        foreach (string folder in (string[])["metrics", "params", "tags", "artifacts"]) Directory.CreateDirectory(Path.Combine(run.Directory, folder));
        run.WriteMeta(MlflowRunStatus.Running, endTime: null);
        run.SetTag("mlflow.runName", runName);
        run.SetTag("mlflow.user", Environment.UserName);
        run.SetTag("mlflow.source.type", "LOCAL");
        run.SetTag("mlflow.source.name", Environment.ProcessPath is { } process ? Path.GetFileName(process) : "compilednets");
        foreach (var (key, value) in tags ?? new Dictionary<string, string>()) run.SetTag(key, value);
        return run;
    }

    /// <summary>Reopens an existing run (to log on after a resume); null when it is not in the store.</summary>
    public MlflowRun? OpenRun(string experimentId, string runId)
    {
        string directory = Path.Combine(RootDirectory, experimentId, runId);
        string meta = Path.Combine(directory, MetaFile);
        if (!File.Exists(meta)) return null;
        var entries = MlflowYaml.Read(File.ReadAllText(meta));
        long start = long.TryParse(entries.GetValueOrDefault("start_time"), out long value) ? value : NowMilliseconds;
        return new MlflowRun(this, experimentId, runId, directory, entries.GetValueOrDefault("run_name") ?? runId, start);
    }

    private void CreateExperimentWithId(string id, string name)
    {
        string directory = Path.Combine(RootDirectory, id);
        Directory.CreateDirectory(directory);
        long now = NowMilliseconds;
        AtomicFile.WriteAllText(Path.Combine(directory, MetaFile), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_location"] = new Uri(directory).AbsoluteUri,
            ["creation_time"] = now,
            ["experiment_id"] = id,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = name,
        }));
    }
}
