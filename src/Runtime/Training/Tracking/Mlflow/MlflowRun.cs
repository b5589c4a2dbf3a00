using System.Globalization;
using System.Text.RegularExpressions;

namespace CompiledNets.Training.Tracking;

/// <summary>One run in an <see cref="MlflowFileStore"/>: params, metrics with step and timestamp, tags, artifacts, status.</summary>
public sealed partial class MlflowRun
{
    private readonly MlflowFileStore _store;
    private readonly long _startTime;

    internal MlflowRun(MlflowFileStore store, string experimentId, string runId, string directory, string runName, long startTime)
    {
        _store = store;
        ExperimentId = experimentId;
        RunId = runId;
        Directory = directory;
        RunName = runName;
        _startTime = startTime;
    }

    /// <summary>The experiment's id.</summary>
    public string ExperimentId { get; }

    /// <summary>The run's id (32 hex digits, as MLflow's).</summary>
    public string RunId { get; }

    /// <summary>The run's name (tag mlflow.runName).</summary>
    public string RunName { get; }

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <summary>The run's artifact folder.</summary>
    public string ArtifactDirectory => Path.Combine(Directory, "artifacts");

    /// <summary>Logs a parameter (MLflow params are write-once: the same key logged again must keep its value).</summary>
    /// <exception cref="InvalidOperationException">The key was logged before with another value.</exception>
    public void LogParam(string key, string value)
    {
        string path = EntryPath("params", key);
        ArgumentNullException.ThrowIfNull(value);
        if (File.Exists(path) && File.ReadAllText(path) != value)
            throw new InvalidOperationException($"MLflow param '{key}' of run {RunId} is already '{File.ReadAllText(path)}'; params cannot change ('{value}').");
        AtomicFile.WriteAllText(path, value);
    }

    /// <summary>True when the param <paramref name="key"/> was logged.</summary>
    public bool HasParam(string key) => File.Exists(EntryPath("params", key));

    /// <summary>Appends a metric value at <paramref name="step"/> (timestamp: now, or <paramref name="timestampMilliseconds"/>).</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite (MLflow's file store cannot read it back portably).</exception>
    public void LogMetric(string key, double value, long step, long? timestampMilliseconds = null)
    {
        string path = EntryPath("metrics", key);
        if (!double.IsFinite(value)) throw new ArgumentException($"Metric '{key}' is {value}; log finite values only.", nameof(value));
        long timestamp = timestampMilliseconds ?? _store.NowMilliseconds;
        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{timestamp} {value:R} {step}\n"));
    }

    /// <summary>Sets a tag (tags may change).</summary>
    public void SetTag(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AtomicFile.WriteAllText(EntryPath("tags", key), value);
    }

    /// <summary>Copies a file into the run's artifacts (as <paramref name="artifactName"/>, default its file name).</summary>
    public string LogArtifact(string sourcePath, string? artifactName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        if (!File.Exists(sourcePath)) throw new FileNotFoundException($"Artifact '{sourcePath}' does not exist.", sourcePath);
        string target = ArtifactPath(artifactName ?? Path.GetFileName(sourcePath));
        File.Copy(sourcePath, target, overwrite: true);
        return target;
    }

    /// <summary>Writes a text artifact (atomically) and returns its path.</summary>
    public string WriteArtifactText(string artifactName, string text)
    {
        string target = ArtifactPath(artifactName);
        AtomicFile.WriteAllText(target, text);
        return target;
    }

    /// <summary>The path a new artifact <paramref name="artifactName"/> goes to (folders created).</summary>
    public string ArtifactPath(string artifactName)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactName);
        if (Path.IsPathRooted(artifactName) || artifactName.Split('/', '\\').Any(part => part is ".." or ""))
            throw new ArgumentException($"Artifact name '{artifactName}' must be a relative path inside the run.", nameof(artifactName));
        string target = Path.Combine(ArtifactDirectory, artifactName);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return target;
    }

    /// <summary>Ends the run (or marks it running again) with <paramref name="status"/>.</summary>
    public void SetStatus(MlflowRunStatus status) =>
        WriteMeta(status, status is MlflowRunStatus.Running or MlflowRunStatus.Scheduled ? null : _store.NowMilliseconds);

    internal void WriteMeta(MlflowRunStatus status, long? endTime) =>
        AtomicFile.WriteAllText(Path.Combine(Directory, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_uri"] = new Uri(ArtifactDirectory).AbsoluteUri,
            ["end_time"] = endTime,
            ["entry_point_name"] = "",
            ["experiment_id"] = ExperimentId,
            ["lifecycle_stage"] = "active",
            ["run_id"] = RunId,
            ["run_name"] = RunName,
            ["run_uuid"] = RunId,
            ["source_name"] = "",
            ["source_type"] = 4, // LOCAL
            ["source_version"] = "",
            ["start_time"] = _startTime,
            ["status"] = (int)status,
            ["tags"] = Array.Empty<object>(),
            ["user_id"] = Environment.UserName,
            ["deleted_time"] = null,
        }));

    /// <summary>MLflow's rule for metric, param and tag names: alphanumerics, '_', '-', '.', ' ', '/'; no '..', not absolute.</summary>
    private string EntryPath(string folder, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!ValidName().IsMatch(key) || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/'))
            throw new ArgumentException($"'{key}' is not a valid MLflow {folder[..^1]} name (letters, digits, '_', '-', '.', ' ', '/').", nameof(key));
        string path = Path.Combine(Directory, folder, key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    [GeneratedRegex(@"^[\w\-. /]+$")]
    private static partial Regex ValidName();
}
