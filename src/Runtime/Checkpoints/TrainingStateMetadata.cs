using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using CompiledNets.Training;

namespace CompiledNets.Checkpoints;

/// <summary>
/// How a <see cref="TrainingState"/> is stored in a checkpoint, additively: extra <c>__metadata__</c> entries under
/// <c>training.</c> and, for each persisted buffer, one tensor per parameter tensor named
/// <c>training.{buffer}.{tensor}</c> (F32, the parameter's shape). A file without them is still an ordinary checkpoint;
/// readers that do not know them ignore them. Doubles and floats are written in round-trip form ("R"), so a resumed run
/// continues with the same bits.
/// </summary>
/// <remarks>
/// Keys: <c>training.state_version</c> ("1"), <c>training.epochs_completed</c>, <c>training.batches_in_epoch</c>,
/// <c>training.step</c>, <c>training.shuffle_state</c> (4 words, 16 hex digits each, comma-separated),
/// <c>training.epoch_loss_sum</c>, <c>training.epoch_correct</c>, <c>training.epoch_samples_seen</c>,
/// <c>training.epoch_elapsed_ticks</c>, <c>training.learning_rate</c>, <c>training.base_learning_rate</c>,
/// <c>training.seed</c>, <c>training.batch_size</c>, <c>training.train_count</c>, <c>training.shuffle</c>
/// ("true"/"false"), <c>training.history</c> (JSON array of epoch metrics), <c>training.values</c> (JSON object of
/// strings: the callbacks' persisted values), <c>training.buffers</c> (comma-separated buffer names).
/// </remarks>
public static class TrainingStateMetadata
{
    /// <summary>Prefix of every training-state metadata key and tensor name.</summary>
    public const string Prefix = "training.";

    /// <summary>The version of this layout; a newer one is refused.</summary>
    public const int Version = 1;

    internal const string StateVersion = Prefix + "state_version";
    private const string EpochsCompleted = Prefix + "epochs_completed";
    private const string BatchesInEpoch = Prefix + "batches_in_epoch";
    private const string Step = Prefix + "step";
    private const string ShuffleState = Prefix + "shuffle_state";
    private const string EpochLossSum = Prefix + "epoch_loss_sum";
    private const string EpochCorrect = Prefix + "epoch_correct";
    private const string EpochSamplesSeen = Prefix + "epoch_samples_seen";
    private const string EpochElapsedTicks = Prefix + "epoch_elapsed_ticks";
    private const string LearningRate = Prefix + "learning_rate";
    private const string BaseLearningRate = Prefix + "base_learning_rate";
    private const string Seed = Prefix + "seed";
    private const string BatchSize = Prefix + "batch_size";
    private const string TrainCount = Prefix + "train_count";
    private const string Shuffle = Prefix + "shuffle";
    private const string History = Prefix + "history";
    private const string Values = Prefix + "values";
    internal const string Buffers = Prefix + "buffers";

    /// <summary>The tensor name of buffer <paramref name="buffer"/>'s part for parameter <paramref name="tensor"/>.</summary>
    public static string TensorName(string buffer, string tensor) => $"{Prefix}{buffer}.{tensor}";

    internal static void CheckBufferName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains(',') || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Training-state buffer name '{name}' must be non-empty, without commas or spaces.");
    }

    internal static void Write(TrainingState state, List<KeyValuePair<string, string>> metadata)
    {
        static string Invariant(IFormattable value, string? format = null) => value.ToString(format, CultureInfo.InvariantCulture);
        metadata.Add(new(StateVersion, Invariant(Version)));
        metadata.Add(new(EpochsCompleted, Invariant(state.EpochsCompleted)));
        metadata.Add(new(BatchesInEpoch, Invariant(state.BatchesCompletedInEpoch)));
        metadata.Add(new(Step, Invariant(state.Step)));
        metadata.Add(new(ShuffleState, string.Join(",", state.ShuffleState.Select(word => Invariant(word, "x16")))));
        metadata.Add(new(EpochLossSum, Invariant(state.EpochLossSum, "R")));
        metadata.Add(new(EpochCorrect, Invariant(state.EpochCorrect)));
        metadata.Add(new(EpochSamplesSeen, Invariant(state.EpochSamplesSeen)));
        metadata.Add(new(EpochElapsedTicks, Invariant(state.EpochElapsed.Ticks)));
        metadata.Add(new(LearningRate, Invariant(state.LearningRate, "R")));
        metadata.Add(new(BaseLearningRate, Invariant(state.BaseLearningRate, "R")));
        metadata.Add(new(Seed, Invariant(state.Seed)));
        metadata.Add(new(BatchSize, Invariant(state.BatchSize)));
        metadata.Add(new(TrainCount, Invariant(state.TrainCount)));
        metadata.Add(new(Shuffle, state.Shuffle ? "true" : "false"));
        metadata.Add(new(History, EpochMetricsJson.ToJson(state.Epochs)));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var pair in state.Values.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.WriteString(pair.Key, pair.Value);
            writer.WriteEndObject();
        }
        metadata.Add(new(Values, Encoding.UTF8.GetString(buffer.WrittenSpan)));
        foreach (string name in state.Buffers.Keys) CheckBufferName(name);
        metadata.Add(new(Buffers, string.Join(",", state.Buffers.Keys.Order(StringComparer.Ordinal))));
    }

    /// <summary>The buffer names a checkpoint's training state lists (empty when it has none).</summary>
    internal static string[] BufferNames(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(Buffers, out string? names) && names.Length > 0 ? names.Split(',') : [];

    /// <exception cref="InvalidDataException">An entry is missing or malformed (the message names it).</exception>
    internal static TrainingState Read(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, float[]> buffers, string path)
    {
        if (!metadata.TryGetValue(StateVersion, out string? versionText))
            throw CheckpointError.Create(path, "it holds no training state (it was saved without one, e.g. by net.Save): it cannot resume a run. Load it with Checkpoint.Load to restore the weights.");
        int version = Integer<int>(metadata, StateVersion, path);
        if (version > Version) throw CheckpointError.Create(path, $"its training state has version {version}; this library reads up to {Version}.");

        string shuffleText = Text(metadata, ShuffleState, path);
        ulong[] shuffle;
        try
        {
            shuffle = shuffleText.Split(',').Select(word => ulong.Parse(word, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw CheckpointError.Create(path, $"metadata '{ShuffleState}' is '{shuffleText}', not 4 hexadecimal words.");
        }
        if (shuffle.Length != 4) throw CheckpointError.Create(path, $"metadata '{ShuffleState}' has {shuffle.Length} words, not 4.");

        EpochMetrics[] history;
        try
        {
            history = EpochMetricsJson.Parse(Text(metadata, History, path));
        }
        catch (FormatException exception)
        {
            throw CheckpointError.Create(path, $"metadata '{History}' is not a valid epoch history ({exception.Message}).", exception);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(Text(metadata, Values, path));
            foreach (JsonProperty property in document.RootElement.EnumerateObject()) values[property.Name] = property.Value.GetString()!;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw CheckpointError.Create(path, $"metadata '{Values}' is not a JSON object of strings ({exception.Message}).", exception);
        }

        string shuffleFlag = Text(metadata, Shuffle, path);
        if (shuffleFlag is not ("true" or "false")) throw CheckpointError.Create(path, $"metadata '{Shuffle}' is '{shuffleFlag}', not true or false.");
        return new TrainingState
        {
            EpochsCompleted = Integer<int>(metadata, EpochsCompleted, path),
            BatchesCompletedInEpoch = Integer<int>(metadata, BatchesInEpoch, path),
            Step = Integer<long>(metadata, Step, path),
            ShuffleState = shuffle,
            EpochLossSum = Real<double>(metadata, EpochLossSum, path),
            EpochCorrect = Integer<long>(metadata, EpochCorrect, path),
            EpochSamplesSeen = Integer<int>(metadata, EpochSamplesSeen, path),
            EpochElapsed = TimeSpan.FromTicks(Integer<long>(metadata, EpochElapsedTicks, path)),
            LearningRate = Real<float>(metadata, LearningRate, path),
            BaseLearningRate = Real<float>(metadata, BaseLearningRate, path),
            Seed = SignedInteger(metadata, Seed, path),
            BatchSize = Integer<int>(metadata, BatchSize, path),
            TrainCount = Integer<int>(metadata, TrainCount, path),
            Shuffle = shuffleFlag == "true",
            Epochs = history,
            Values = values,
            Buffers = new Dictionary<string, float[]>(buffers, StringComparer.Ordinal),
        };
    }

    private static string Text(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out string? text) ? text : throw CheckpointError.Create(path, $"its training state lacks metadata '{key}'.");

    private static T Integer<T>(IReadOnlyDictionary<string, string> metadata, string key, string path)
        where T : IBinaryInteger<T>
    {
        string text = Text(metadata, key, path);
        return T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out T? value)
            ? value
            : throw CheckpointError.Create(path, $"metadata '{key}' is '{text}', not a non-negative integer.");
    }

    private static int SignedInteger(IReadOnlyDictionary<string, string> metadata, string key, string path)
    {
        string text = Text(metadata, key, path);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw CheckpointError.Create(path, $"metadata '{key}' is '{text}', not an integer.");
    }

    private static T Real<T>(IReadOnlyDictionary<string, string> metadata, string key, string path)
        where T : IFloatingPointIeee754<T>
    {
        string text = Text(metadata, key, path);
        return T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T? value)
            ? value
            : throw CheckpointError.Create(path, $"metadata '{key}' is '{text}', not a number.");
    }
}
