using System.Globalization;

namespace CompiledNets.Data;

/// <summary>
/// Loads a CSV file of numbers as a <see cref="Dataset"/>. Numbers use the invariant culture ('.' decimal
/// point). Blank lines are skipped; surrounding whitespace and double quotes around a field are ignored.
/// Errors name the file, the 1-based line and column, and the offending text.
/// </summary>
/// <remarks>
/// Limits: a file is read only up to the length it had when opened, and only a regular file is read (a named pipe
/// is refused without blocking, <c>/dev/zero</c> reads as empty); an inferred class count (largest label + 1) is at
/// most <see cref="MaxInferredClassCount"/> (set <see cref="CsvOptions.ClassCount"/> for more); the features and the
/// targets each hold at most <see cref="Array.MaxLength"/> values.
/// </remarks>
public static class CsvDataset
{
    /// <summary>The largest class count inferred from the labels; a larger label needs an explicit <see cref="CsvOptions.ClassCount"/>.</summary>
    public const int MaxInferredClassCount = 1 << 20;

    /// <summary>Reads <paramref name="path"/> as described by <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (no label/target column, overlaps, out of range).</exception>
    /// <exception cref="InvalidDataException">
    /// The file has no data rows, a non-numeric or non-finite value, a ragged row, or a bad label.
    /// </exception>
    public static Dataset Load(string path, CsvOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        using FileStream file = IO.RegularFile.OpenRead(path, 4096, problem => new InvalidDataException($"CSV file '{path}': {problem}"));
        using var reader = new StreamReader(new IO.BoundedReadStream(file, file.Length, leaveOpen: true));
        return Load(reader, options, path);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static Dataset Load(TextReader reader, CsvOptions options, string sourceName = "<csv>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        bool byName = options.LabelColumnName is not null || options.TargetColumnNames is { Count: > 0 };
        bool classification = options.LabelColumn is not null || options.LabelColumnName is not null;
        bool regression = options.TargetColumns is { Count: > 0 } || options.TargetColumnNames is { Count: > 0 };
        int ways = (options.LabelColumn is null ? 0 : 1) + (options.LabelColumnName is null ? 0 : 1)
            + (options.TargetColumns is { Count: > 0 } ? 1 : 0) + (options.TargetColumnNames is { Count: > 0 } ? 1 : 0);
        if (ways != 1)
        {
            throw new ArgumentException(
                "Set exactly one of CsvOptions.LabelColumn or LabelColumnName (classification), or TargetColumns or TargetColumnNames (regression).",
                nameof(options));
        }

        if (byName && !options.HasHeader)
            throw new ArgumentException("Columns can be named only when CsvOptions.HasHeader is true.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ClassCount);
        if (options.Separator is '"' or '\r' or '\n')
            throw new ArgumentException($"Separator '{options.Separator}' cannot be used.", nameof(options));

        var features = new List<float>();
        var labels = new List<int>();
        var targets = new List<float>();
        string[]? headerNames = null;
        ColumnRoles? roles = null;
        int columnCount = -1;
        int firstDataLine = 0;
        int lineNumber = 0;
        string? line;
        var fields = new List<Range>();
        float[] rowTargets = [];
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            fields.Clear();
            foreach (Range range in line.AsSpan().Split(options.Separator)) fields.Add(range);

            if (options.HasHeader && headerNames is null)
            {
                headerNames = new string[fields.Count];
                for (int c = 0; c < fields.Count; c++) headerNames[c] = Clean(line.AsSpan()[fields[c]]).ToString();
                columnCount = fields.Count;
                roles = ColumnRoles.Resolve(options, columnCount, sourceName, headerNames);
                rowTargets = new float[roles.TargetCount];
                continue;
            }

            if (columnCount < 0)
            {
                columnCount = fields.Count;
                roles = ColumnRoles.Resolve(options, columnCount, sourceName, headerNames: null);
                rowTargets = new float[roles.TargetCount];
            }

            if (firstDataLine == 0) firstDataLine = lineNumber;
            if (features.Count > Array.MaxLength - columnCount)
                throw new InvalidDataException($"'{sourceName}' line {lineNumber}: the file holds more than {Array.MaxLength} feature values, more than one array can hold.");
            if (fields.Count != columnCount)
            {
                string reference = headerNames is not null ? "the header" : $"line {firstDataLine}";
                throw new InvalidDataException(
                    $"'{sourceName}' line {lineNumber} has {fields.Count} columns, but {reference} has {columnCount}.");
            }

            for (int c = 0; c < columnCount; c++)
            {
                ColumnRole role = roles!.Roles[c];
                if (role == ColumnRole.Ignored) continue;
                ReadOnlySpan<char> text = Clean(line.AsSpan()[fields[c]]);
                if (role == ColumnRole.Label)
                {
                    if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0)
                        throw Error(sourceName, lineNumber, c, headerNames, text, "is not a non-negative integer class label");
                    if (options.ClassCount > 0 && label >= options.ClassCount)
                        throw Error(sourceName, lineNumber, c, headerNames, text, $"is outside the {options.ClassCount} classes [0, {options.ClassCount})");
                    if (options.ClassCount == 0 && label >= MaxInferredClassCount)
                    {
                        throw Error(sourceName, lineNumber, c, headerNames, text,
                            $"would make {(long)label + 1} classes, more than the {MaxInferredClassCount} inferred at most: set CsvOptions.ClassCount if the labels really go that high");
                    }

                    labels.Add(label);
                    continue;
                }

                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw Error(sourceName, lineNumber, c, headerNames, text, "is not a number");
                if (!float.IsFinite(value))
                    throw Error(sourceName, lineNumber, c, headerNames, text, "is not finite (NaN or infinity, or too large for a float)");
                if (role == ColumnRole.Feature) features.Add(value);
                else rowTargets[roles.TargetSlots[c]] = value;
            }

            targets.AddRange(rowTargets);
        }

        if (firstDataLine == 0)
            throw new InvalidDataException($"'{sourceName}' has no data rows{(headerNames is not null ? " (only a header)" : string.Empty)}.");

        int featureCount = roles!.FeatureCount;
        float[] featureArray = features.ToArray();
        if (classification)
        {
            int classCount = options.ClassCount > 0 ? options.ClassCount : labels.Max() + 1;
            return new Dataset(featureArray, featureCount, labels.ToArray(), classCount);
        }

        return new Dataset(featureArray, featureCount, targets.ToArray(), roles.TargetCount);
    }

    private static ReadOnlySpan<char> Clean(ReadOnlySpan<char> field)
    {
        field = field.Trim();
        if (field.Length >= 2 && field[0] == '"' && field[^1] == '"') field = field[1..^1].Trim();
        return field;
    }

    private static InvalidDataException Error(string source, int line, int column, string[]? header, ReadOnlySpan<char> text, string problem)
    {
        string name = header is not null ? $" ('{header[column]}')" : string.Empty;
        return new InvalidDataException($"'{source}' line {line}, column {column + 1}{name}: '{text}' {problem}.");
    }

    private enum ColumnRole : byte { Feature, Label, Target, Ignored }

    private sealed class ColumnRoles
    {
        private ColumnRoles(ColumnRole[] roles, int[] targetSlots, int featureCount, int targetCount)
        {
            Roles = roles;
            TargetSlots = targetSlots;
            FeatureCount = featureCount;
            TargetCount = targetCount;
        }

        public ColumnRole[] Roles { get; }

        // Column -> position among the targets, in the order the options list them (not file order).
        public int[] TargetSlots { get; }
        public int FeatureCount { get; }
        public int TargetCount { get; }

        public static ColumnRoles Resolve(CsvOptions options, int columnCount, string source, string[]? headerNames)
        {
            Index Named(string name)
            {
                int column = Array.IndexOf(headerNames!, name);
                if (column < 0)
                    throw new ArgumentException($"Column '{name}' is not in the header of '{source}' (columns: {string.Join(", ", headerNames!)}).", nameof(options));
                return column;
            }

            var roles = new ColumnRole[columnCount];
            var targetSlots = new int[columnCount];
            int Assign(Index index, ColumnRole role, string what)
            {
                int column = index.GetOffset(columnCount);
                if ((uint)column >= (uint)columnCount)
                    throw new ArgumentException($"{what} column {index} is outside the {columnCount} columns of '{source}'.", nameof(options));
                if (roles[column] != ColumnRole.Feature)
                    throw new ArgumentException($"Column {column} of '{source}' is given two roles ({roles[column]} and {role}).", nameof(options));
                roles[column] = role;
                return column;
            }

            if (options.LabelColumn is Index label) Assign(label, ColumnRole.Label, "Label");
            if (options.LabelColumnName is string labelName) Assign(Named(labelName), ColumnRole.Label, "Label");
            int targetCount = 0;
            IEnumerable<Index> targets = options.TargetColumns ?? options.TargetColumnNames?.Select(Named) ?? [];
            foreach (Index target in targets) targetSlots[Assign(target, ColumnRole.Target, "Target")] = targetCount++;

            if (options.IgnoredColumns is not null)
            {
                foreach (Index ignored in options.IgnoredColumns) Assign(ignored, ColumnRole.Ignored, "Ignored");
            }

            int featureCount = roles.Count(r => r == ColumnRole.Feature);
            if (featureCount == 0)
                throw new ArgumentException($"'{source}' has no feature columns left after the label, target and ignored columns.", nameof(options));
            return new ColumnRoles(roles, targetSlots, featureCount, targetCount);
        }
    }
}
