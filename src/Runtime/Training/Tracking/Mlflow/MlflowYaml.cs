using System.Globalization;
using System.Text;

namespace CompiledNets.Training.Tracking;

/// <summary>
/// The flat YAML mappings of MLflow's <c>meta.yaml</c> files: one <c>key: value</c> per line, strings single-quoted
/// (so '0' stays a string), integers bare, <c>null</c>, and <c>[]</c> for the legacy empty tag list.
/// </summary>
internal static class MlflowYaml
{
    public static string Write(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(": ");
            text.Append(value switch
            {
                null => "null",
                string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
                long or int => Convert.ToString(value, CultureInfo.InvariantCulture),
                object[] { Length: 0 } => "[]",
                _ => throw new ArgumentException($"Unsupported YAML value type {value.GetType().Name}."),
            });
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads what <see cref="Write"/> writes (and the same subset written by PyYAML): scalars only.</summary>
    public static Dictionary<string, string?> Read(string text)
    {
        var entries = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 && line.EndsWith(':')) colon = line.Length - 1;
            if (colon <= 0) throw new FormatException($"Not a 'key: value' line: '{line}'.");
            string key = line[..colon];
            string value = colon + 2 <= line.Length ? line[(colon + 2)..].Trim() : "";
            entries[key] = value switch
            {
                "null" or "~" or "" => null,
                _ when value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' => value[1..^1].Replace("''", "'", StringComparison.Ordinal),
                _ when value.Length >= 2 && value[0] == '"' && value[^1] == '"' => value[1..^1],
                _ => value,
            };
        }
        return entries;
    }
}
