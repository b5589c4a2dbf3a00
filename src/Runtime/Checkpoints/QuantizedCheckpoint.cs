using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using CompiledNets.Kernels;

namespace CompiledNets.Checkpoints;

/// <summary>
/// Saves and loads a <see cref="QuantizedWeights"/> snapshot as safetensors. Names: every parameter tensor of the network
/// under its usual name (<c>dense0.bias</c>, <c>conv0.weight</c>, ... as F32), except that an int8 dense layer's weight is
/// <c>{layer}.weight</c> as <b>I8</b> [units, inputs] (row-major, values in [-127, 127]) with its per-output-channel
/// scales beside it as <c>{layer}.weight_scale</c> F32 [units]: W[n, k] ~ weight_scale[n] x weight[n, k]. Metadata:
/// <c>format</c> = <c>compilednets-int8</c>, <c>format_version</c>, <c>network</c>, <c>parameter_count</c> and the
/// integrity hash of float checkpoints (<see cref="CheckpointMetadata.Integrity"/>: header and data).
/// </summary>
/// <remarks>
/// Written atomically (temporary file + rename) like float checkpoints; loading validates everything (format, version,
/// network, the exact set of tensors, dtypes, shapes, the int8 range, positive finite scales, the integrity hash) before
/// it builds the snapshot. A loaded snapshot has no float copy of its int8 weights: its <c>Parameters</c> hold the
/// dequantized values there, which is what <c>MeasureQuantizationError</c> then compares with.
/// </remarks>
public static class QuantizedCheckpoint
{
    /// <summary>The <see cref="CheckpointMetadata.Format"/> value of an int8 snapshot.</summary>
    public const string FormatName = "compilednets-int8";

    /// <summary>The layout version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The suffix of an int8 weight's scales: <c>dense0.weight_scale</c>.</summary>
    public const string ScaleSuffix = "_scale";

    /// <summary>Writes <paramref name="weights"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    /// <exception cref="IOException">Writing failed; an existing file at <paramref name="path"/> is left as it was.</exception>
    public static void Save(QuantizedWeights weights, string path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot save quantized weights '{path}': directory '{directory}' does not exist.");

        var tensors = new List<(string Name, string DType, IReadOnlyList<int> Shape, long Begin, long End)>();
        var data = new List<byte[]>();
        long position = 0;
        void Add(string name, string dtype, IReadOnlyList<int> shape, byte[] bytes)
        {
            tensors.Add((name, dtype, shape, position, position + bytes.Length));
            data.Add(bytes);
            position += bytes.Length;
        }

        Dictionary<string, QuantizedMatrix> int8 = Int8Layers(weights);
        foreach (ParameterTensor tensor in weights.ParameterTensors)
        {
            if (int8.TryGetValue(tensor.Name, out QuantizedMatrix? matrix))
            {
                byte[] values = new byte[matrix.Rows * matrix.Columns];
                for (int n = 0; n < matrix.Rows; n++)
                    MemoryMarshal.AsBytes(matrix.Values.Slice(n * matrix.Stride, matrix.Columns)).CopyTo(values.AsSpan(n * matrix.Columns));
                Add(tensor.Name, "I8", tensor.Shape, values);
                Add(tensor.Name + ScaleSuffix, "F32", [matrix.Rows], FloatBytes(matrix.Scales));
                continue;
            }
            Add(tensor.Name, "F32", tensor.Shape, FloatBytes(weights.Parameters.Slice(tensor.Offset, tensor.Length)));
        }

        var metadata = new List<KeyValuePair<string, string>>
        {
            new(CheckpointMetadata.Format, FormatName),
            new(CheckpointMetadata.FormatVersion, SafetensorsHeader.FormatInvariant(FormatVersion)),
            new(CheckpointMetadata.Network, weights.NetworkName),
            new(CheckpointMetadata.ParameterCount, SafetensorsHeader.FormatInvariant(weights.ParameterCount)),
        };
        var infos = tensors.Select(t => new CheckpointTensorInfo(t.Name, t.DType, t.Shape.Select(d => (long)d).ToArray(), t.Begin, t.End)).ToList();
        XxHash64 hash = CheckpointIntegrity.Begin(metadata, infos);
        foreach (byte[] bytes in data) hash.Append(bytes);
        metadata.Add(new(CheckpointMetadata.Integrity, CheckpointIntegrity.Format(hash)));

        CheckpointTempFiles.RemoveStale(directory, Path.GetFileName(fullPath));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafetensorsHeader.Write(stream, tensors, metadata);
                foreach (byte[] bytes in data) stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    /// <summary>
    /// Reads a snapshot saved by <see cref="Save"/> for the network described by the other arguments (generated code
    /// calls this; use the network's <c>LoadQuantized(path)</c>). Everything is validated before the snapshot is built.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid int8 snapshot of this network.</exception>
    public static QuantizedWeights Load(string path, string networkName, int parameterCount, IReadOnlyList<ParameterTensor> parameterTensors,
        ReadOnlySpan<QuantizableLayer> layers)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(networkName);
        ArgumentNullException.ThrowIfNull(parameterTensors);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"Quantized weights '{path}' do not exist.", path);
        using FileStream file = IO.RegularFile.OpenRead(path, 1 << 16, problem => CheckpointError.Create(path, problem));
        // A header names each tensor (and an int8 weight's scales) once with a few numbers: far below this.
        long maxHeader = Math.Min(SafetensorsHeader.MaxHeaderLength, 65_536 + 1_024L * parameterTensors.Count);
        CheckpointInfo info;
        try
        {
            info = SafetensorsHeader.Read(file, path, maxHeader);
        }
        catch (EndOfStreamException exception)
        {
            throw CheckpointError.Create(path, "the file ended early (it changed while being read?).", exception);
        }
        CheckMetadata(info, path, networkName, parameterCount);

        // Which dense weights are stored as int8: those with an I8 tensor and its scales.
        var denseWeights = new Dictionary<string, QuantizableLayer>(StringComparer.Ordinal);
        foreach (QuantizableLayer layer in layers)
            if (layer.Kind == LayerKind.Dense) denseWeights[layer.Name + ".weight"] = layer;
        var byName = info.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var expected = new Dictionary<string, (string DType, long[] Shape)>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in parameterTensors)
        {
            long[] shape = [.. tensor.Shape.Select(d => (long)d)];
            bool int8 = denseWeights.ContainsKey(tensor.Name) && byName.TryGetValue(tensor.Name, out var stored) && stored.DType == "I8";
            expected[tensor.Name] = (int8 ? "I8" : "F32", shape);
            if (int8) expected[tensor.Name + ScaleSuffix] = ("F32", [shape[0]]);
        }
        CheckTensors(info, expected, path);

        byte[] data = ReadData(file, info, path);
        float[] parameters = new float[parameterCount];
        var matrices = new Dictionary<string, QuantizedMatrix>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in parameterTensors)
        {
            CheckpointTensorInfo stored = byName[tensor.Name];
            if (stored.DType == "F32")
            {
                ReadFloats(data, stored, parameters.AsSpan(tensor.Offset, tensor.Length));
                continue;
            }
            QuantizableLayer layer = denseWeights[tensor.Name];
            float[] scales = new float[layer.Units];
            ReadFloats(data, byName[tensor.Name + ScaleSuffix], scales);
            ReadOnlySpan<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(data.AsSpan((int)stored.Begin, (int)stored.ByteLength));
            QuantizedMatrix matrix;
            try
            {
                matrix = QuantizedMatrix.FromParts(layer.Units, layer.Inputs, values, scales);
            }
            catch (ArgumentException exception)
            {
                throw CheckpointError.Create(path, $"tensor '{tensor.Name}': {exception.Message}", exception);
            }
            matrices[layer.Name] = matrix;
            Span<float> dequantized = parameters.AsSpan(tensor.Offset, tensor.Length);
            for (int n = 0; n < layer.Units; n++)
                for (int k = 0; k < layer.Inputs; k++) dequantized[n * layer.Inputs + k] = scales[n] * values[n * layer.Inputs + k];
        }

        return QuantizedWeights.Build(networkName, parameters, parameterTensors, layers, layer =>
            matrices.TryGetValue(layer.Name, out QuantizedMatrix? m) ? (m, QuantizedWeights.Int8Reason) : (null, "stored in float in the quantized checkpoint"));
    }

    private static Dictionary<string, QuantizedMatrix> Int8Layers(QuantizedWeights weights)
    {
        var layers = new Dictionary<string, QuantizedMatrix>(StringComparer.Ordinal);
        for (int i = 0; i < weights.DenseLayerCount; i++)
            if (weights.Dense(i).Matrix is QuantizedMatrix matrix) layers[weights.Dense(i).Name + ".weight"] = matrix;
        return layers;
    }

    private static byte[] FloatBytes(ReadOnlySpan<float> values)
    {
        byte[] bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    private static void ReadFloats(byte[] data, CheckpointTensorInfo tensor, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan((int)tensor.Begin + 4 * i));
    }

    private static void CheckMetadata(CheckpointInfo info, string path, string networkName, int parameterCount)
    {
        IReadOnlyDictionary<string, string> metadata = info.Metadata;
        string? format = metadata.GetValueOrDefault(CheckpointMetadata.Format);
        if (format != FormatName)
        {
            throw CheckpointError.Create(path, format == CheckpointMetadata.FormatName
                ? "it is a float32 checkpoint: load it with Load, then call Quantize()."
                : $"its metadata says format '{format ?? "(none)"}', not '{FormatName}': it is not a quantized CompiledNets snapshot.");
        }
        if (!metadata.TryGetValue(CheckpointMetadata.FormatVersion, out string? versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            throw CheckpointError.Create(path, $"metadata '{CheckpointMetadata.FormatVersion}' is {(versionText is null ? "missing" : $"'{versionText}'")}, not a version number.");
        if (version > FormatVersion)
            throw CheckpointError.Create(path, $"it has quantized format version {version}; this library reads up to {FormatVersion}. Update CompiledNets.");
        string? network = metadata.GetValueOrDefault(CheckpointMetadata.Network);
        if (network != networkName)
            throw CheckpointError.Create(path, $"it was saved from network '{network ?? "(none)"}', not '{networkName}'.");
        if (metadata.GetValueOrDefault(CheckpointMetadata.ParameterCount) != SafetensorsHeader.FormatInvariant(parameterCount))
            throw CheckpointError.Create(path, $"it holds {metadata.GetValueOrDefault(CheckpointMetadata.ParameterCount) ?? "an unstated number of"} parameters; {networkName} has {parameterCount}.");
        if (!metadata.ContainsKey(CheckpointMetadata.Integrity))
            throw CheckpointError.Create(path, $"it has no '{CheckpointMetadata.Integrity}' integrity hash.");
    }

    private static void CheckTensors(CheckpointInfo info, Dictionary<string, (string DType, long[] Shape)> expected, string path)
    {
        var problems = new List<string>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (CheckpointTensorInfo tensor in info.Tensors)
        {
            present.Add(tensor.Name);
            if (!expected.TryGetValue(tensor.Name, out var want))
            {
                problems.Add($"unexpected tensor '{tensor.Name}'");
                continue;
            }
            if (tensor.DType != want.DType) problems.Add($"tensor '{tensor.Name}' has dtype {tensor.DType}, expected {want.DType}");
            if (!tensor.Shape.SequenceEqual(want.Shape))
                problems.Add($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", want.Shape)}]");
        }
        foreach (string name in expected.Keys)
            if (!present.Contains(name)) problems.Insert(0, $"missing tensor '{name}'");
        if (problems.Count > 0) throw CheckpointError.Create(path, $"it does not match this network: {string.Join("; ", problems.Take(8))}.");
    }

    private static byte[] ReadData(FileStream file, CheckpointInfo info, string path)
    {
        long length = file.Length - info.DataOffset;
        if (length > Array.MaxLength) throw CheckpointError.Create(path, $"its data section is {length} bytes, too large for a quantized snapshot.");
        byte[] data = new byte[length];
        file.Position = info.DataOffset;
        try
        {
            file.ReadExactly(data);
        }
        catch (EndOfStreamException exception)
        {
            throw CheckpointError.Create(path, "the file ended inside the data section (it changed while being read?).", exception);
        }
        XxHash64 hash = CheckpointIntegrity.Begin(info.Metadata, info.Tensors);
        hash.Append(data);
        string actual = CheckpointIntegrity.Format(hash), stated = info.Metadata[CheckpointMetadata.Integrity];
        if (!string.Equals(actual, stated, StringComparison.Ordinal))
            throw CheckpointError.Create(path,
                $"the integrity hash of its header and data is {actual} but the file says {stated}: the file is corrupt, or was edited after saving.");
        return data;
    }
}
