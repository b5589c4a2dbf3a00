using System.Globalization;
using CompiledNets.Checkpoints;
using CompiledNets.Data;
using CompiledNets.Tests.Data;
using CompiledNets.Training;
using CompiledNets.Training.Tracking;
using Xunit;

namespace CompiledNets.Tests.Training.Tracking;

/// <summary>
/// The run logger's output checked against MLflow's file-store format as its FileStore reads it
/// (mlflow/store/tracking/file_store.py): meta.yaml keys, metric lines "timestamp value step", params, tags, artifacts.
/// tests/mlflow/check-mlflow-run.sh reads a run back with MLflow's own Python client where it can be installed.
/// </summary>
public class MlflowFileStoreTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(60, seed: 51);
    private static readonly Dataset s_validation = TrainingData.Blobs(21, seed: 52);

    private static readonly string[] s_runMetaKeys =
    [
        "artifact_uri", "deleted_time", "end_time", "entry_point_name", "experiment_id", "lifecycle_stage", "run_id", "run_name",
        "run_uuid", "source_name", "source_type", "source_version", "start_time", "status", "tags", "user_id",
    ];

    private static Dictionary<string, string?> Yaml(string path) => MlflowYaml.Read(File.ReadAllText(path));

    [Fact]
    public void ARunIsWrittenInMlflowsFileStoreLayout()
    {
        using var directory = new TempDirectory();
        string root = Path.Combine(directory.Path, "mlruns");
        var logger = new MlflowRunLogger(root, "blobs") { RunName = "adam-run", LogBatchLossEvery = 4 };
        logger.Params["architecture"] = "5-17-9-3";
        logger.Tags["purpose"] = "test";
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(1), new Adam(0.01, weightDecay: 1e-4), Loss.SoftmaxCrossEntropy);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 8, Validation = s_validation, Seed = 5, Callbacks = [logger] });
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The Default experiment "0" exists, as MLflow creates it, beside ours.
        Assert.Equal("Default", Yaml(Path.Combine(root, "0", "meta.yaml"))["name"]);
        Assert.True(Directory.Exists(Path.Combine(root, ".trash")));
        MlflowRun run = logger.Run!;
        var experiment = Yaml(Path.Combine(root, run.ExperimentId, "meta.yaml"));
        Assert.Equal("blobs", experiment["name"]);
        Assert.Equal(run.ExperimentId, experiment["experiment_id"]);
        Assert.Equal("active", experiment["lifecycle_stage"]);
        Assert.StartsWith("file:///", experiment["artifact_location"]);
        Assert.True(long.Parse(run.ExperimentId, CultureInfo.InvariantCulture) > 0);

        string runDirectory = Path.Combine(root, run.ExperimentId, run.RunId);
        var meta = Yaml(Path.Combine(runDirectory, "meta.yaml"));
        Assert.Equal(s_runMetaKeys, meta.Keys.Order(StringComparer.Ordinal));
        Assert.Matches("^[0-9a-f]{32}$", run.RunId);
        Assert.Equal(run.RunId, meta["run_id"]);
        Assert.Equal(run.RunId, meta["run_uuid"]);
        Assert.Equal("adam-run", meta["run_name"]);
        Assert.Equal("3", meta["status"]); // FINISHED
        Assert.Equal("4", meta["source_type"]); // LOCAL
        Assert.Equal("[]", meta["tags"]);
        Assert.Null(meta["deleted_time"]);
        Assert.InRange(long.Parse(meta["start_time"]!, CultureInfo.InvariantCulture), before, after);
        Assert.InRange(long.Parse(meta["end_time"]!, CultureInfo.InvariantCulture), before, after);
        Assert.Equal(new Uri(Path.Combine(runDirectory, "artifacts")).AbsoluteUri, meta["artifact_uri"]);

        // Metrics: one line per epoch, "timestamp value step", the value exactly the history's.
        string[] lines = File.ReadAllLines(Path.Combine(runDirectory, "metrics", "val_loss"));
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < 3; i++)
        {
            string[] parts = lines[i].Split(' ');
            Assert.Equal(3, parts.Length);
            Assert.InRange(long.Parse(parts[0], CultureInfo.InvariantCulture), before, after);
            Assert.Equal(history.Epochs[i].ValidationLoss, double.Parse(parts[1], CultureInfo.InvariantCulture));
            Assert.Equal(i + 1, int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        foreach (string metric in (string[])["train_loss", "train_accuracy", "val_accuracy", "learning_rate", "epoch_seconds"])
            Assert.Equal(3, File.ReadAllLines(Path.Combine(runDirectory, "metrics", metric)).Length);
        // 8 batches an epoch, 24 steps: batch loss at steps 4, 8, ..., 24.
        Assert.Equal([4, 8, 12, 16, 20, 24], File.ReadAllLines(Path.Combine(runDirectory, "metrics", "batch_loss")).Select(l => int.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture)));

        // Params (no trailing newline) and tags.
        string Param(string key) => File.ReadAllText(Path.Combine(runDirectory, "params", key));
        Assert.Equal("0.01", Param("learning_rate"));
        Assert.Equal("8", Param("batch_size"));
        Assert.Equal("adam", Param("optimizer"));
        Assert.Equal("0.0001", Param("weight_decay"));
        Assert.Equal("5-17-9-3", Param("architecture"));
        Assert.Equal("adam-run", File.ReadAllText(Path.Combine(runDirectory, "tags", "mlflow.runName")));
        Assert.Equal("test", File.ReadAllText(Path.Combine(runDirectory, "tags", "purpose")));
        Assert.Equal(ResumeMlp.NetworkName, File.ReadAllText(Path.Combine(runDirectory, "tags", "compilednets.network")));

        // Artifacts: history, curves and a checkpoint that resumes the run.
        string artifacts = Path.Combine(runDirectory, "artifacts");
        Assert.Equal(["checkpoint.safetensors", "history.csv", "history.json", "training_curves.svg"], Directory.GetFiles(artifacts).Select(Path.GetFileName).Order());
        TrainingState state = Checkpoint.LoadForResume(new ResumeMlp(), Path.Combine(artifacts, "checkpoint.safetensors"), new Adam(0.01, weightDecay: 1e-4));
        Assert.Equal(3, state.EpochsCompleted);
    }

    private sealed class CancelAtEpoch(int epoch, CancellationTokenSource cancellation) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context)
        {
            if (context.LastEpoch.Epoch == epoch) cancellation.Cancel();
        }
    }

    [Fact]
    public void ACancelledRunIsKilledAndItsResumeLogsOnIntoTheSameRun()
    {
        using var directory = new TempDirectory();
        string root = Path.Combine(directory.Path, "mlruns");
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(2), new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        using var cancellation = new CancellationTokenSource();
        var first = new MlflowRunLogger(root) { LogCheckpoint = false };
        var cancelled = Assert.Throws<TrainingCanceledException>(() =>
            trainer.Fit(s_train, new TrainingOptions { Epochs = 4, BatchSize = 16, Callbacks = [first, new CancelAtEpoch(2, cancellation)] }, cancellation.Token));
        string runDirectory = first.Run!.Directory;
        Assert.Equal("0", first.Run.ExperimentId);
        Assert.Equal("5", Yaml(Path.Combine(runDirectory, "meta.yaml"))["status"]); // KILLED

        var second = new MlflowRunLogger(root) { LogCheckpoint = false };
        trainer.Fit(s_train, new TrainingOptions { Epochs = 4, BatchSize = 16, ResumeFrom = cancelled.State, Callbacks = [second] });
        Assert.Equal(first.Run.RunId, second.Run!.RunId);
        Assert.Equal("3", Yaml(Path.Combine(runDirectory, "meta.yaml"))["status"]);
        Assert.Equal([1, 2, 3, 4], File.ReadAllLines(Path.Combine(runDirectory, "metrics", "train_loss")).Select(l => int.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture)));
        Assert.Single(Directory.GetDirectories(Path.Combine(root, "0")));
    }

    [Fact]
    public void BadNamesAndValuesAreClearErrors()
    {
        using var directory = new TempDirectory();
        var store = new MlflowFileStore(Path.Combine(directory.Path, "mlruns"));
        MlflowRun run = store.CreateRun(store.GetOrCreateExperiment("x"), "r");
        Assert.Equal(store.GetOrCreateExperiment("x"), run.ExperimentId);
        Assert.Throws<ArgumentException>(() => run.LogMetric("../escape", 1, 0));
        Assert.Throws<ArgumentException>(() => run.LogMetric("loss", double.NaN, 0));
        run.LogParam("lr", "0.1");
        Assert.Throws<InvalidOperationException>(() => run.LogParam("lr", "0.2"));
        Assert.Throws<ArgumentException>(() => run.WriteArtifactText("../outside.txt", "x"));
    }
}
