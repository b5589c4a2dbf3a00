using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CompiledNets.Training;

/// <summary>
/// Epoch metrics as JSON, written and read with Utf8JsonWriter / JsonDocument (trimming- and AOT-safe, no reflection).
/// Numbers are written in their shortest round-trip form, so reading gives back the same bits; a metric that does not
/// exist (NaN) is <c>null</c>. One shape serves the history export and the resumable state inside checkpoints:
/// <c>[{"epoch": 1, "train_loss": 0.5, ..., "epoch_seconds": 1.2, "elapsed_ticks": 12000000, "custom": {"f1": 0.9}}]</c>.
/// </summary>
internal static class EpochMetricsJson
{
    public static void WriteArray(Utf8JsonWriter writer, IReadOnlyList<EpochMetrics> epochs)
    {
        writer.WriteStartArray();
        foreach (EpochMetrics metrics in epochs)
        {
            writer.WriteStartObject();
            writer.WriteNumber("epoch", metrics.Epoch);
            WriteNumber(writer, "train_loss", metrics.TrainLoss);
            WriteNumber(writer, "train_accuracy", metrics.TrainAccuracy);
            WriteNumber(writer, "val_loss", metrics.ValidationLoss);
            WriteNumber(writer, "val_accuracy", metrics.ValidationAccuracy);
            WriteNumber(writer, "learning_rate", metrics.LearningRate);
            WriteNumber(writer, "epoch_seconds", metrics.Elapsed.TotalSeconds);
            writer.WriteNumber("elapsed_ticks", metrics.Elapsed.Ticks);
            writer.WriteStartObject("custom");
            foreach (var pair in metrics.Custom) WriteNumber(writer, pair.Key, pair.Value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static string ToJson(IReadOnlyList<EpochMetrics> epochs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteArray(writer, epochs);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="FormatException">The text is not an epoch array of this shape.</exception>
    public static EpochMetrics[] Parse(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return ReadArray(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"Not an epoch metrics array: {exception.Message}", exception);
        }
    }

    public static EpochMetrics[] ReadArray(JsonElement array)
    {
        var epochs = new List<EpochMetrics>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            var custom = new Dictionary<string, double>(StringComparer.Ordinal);
            if (item.TryGetProperty("custom", out JsonElement customElement))
                foreach (JsonProperty property in customElement.EnumerateObject()) custom[property.Name] = ReadNumber(property.Value);
            epochs.Add(new EpochMetrics(
                item.GetProperty("epoch").GetInt32(),
                ReadNumber(item.GetProperty("train_loss")),
                ReadNumber(item.GetProperty("train_accuracy")),
                ReadNumber(item.GetProperty("val_loss")),
                ReadNumber(item.GetProperty("val_accuracy")),
                (float)ReadNumber(item.GetProperty("learning_rate")),
                TimeSpan.FromTicks(item.GetProperty("elapsed_ticks").GetInt64()))
            {
                Custom = custom,
            });
        }
        return epochs.ToArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    private static double ReadNumber(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? double.NaN : element.GetDouble();
}
