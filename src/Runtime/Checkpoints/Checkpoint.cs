using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using CompiledNets.Training;

namespace CompiledNets.Checkpoints;

/// <summary>
/// Saves and loads a network's parameters (and optionally an optimizer's state) as a
/// <see href="https://github.com/huggingface/safetensors">safetensors</see> file, readable by PyTorch, JAX and
/// the Hugging Face tools. Tensors are the network's <see cref="INetwork.ParameterTensors"/> (F32, little-endian);
/// optimizer state is stored as <c>optimizer.{state}.{tensor}</c>. See <see cref="CheckpointMetadata"/> for
/// the metadata written.
/// </summary>
/// <remarks>
/// <para>Saving is atomic: the file is written to a temporary file in the same directory, flushed to disk and
/// renamed over <c>path</c>, so a crash or an error leaves either the old file or the new one, never half of one.
/// An error removes the temporary file; only a crash can leave one behind (named <c>.{file}.{guid}.tmp</c>).
/// The directory entry itself is not flushed (.NET has no API for it), so after a power cut the rename may be lost,
/// leaving the previous checkpoint, which is still whole.</para>
/// <para>Loading validates the whole file (header, layout, dtypes, shapes, names, integrity hash) before it writes a
/// single parameter, so a bad file never leaves a half-loaded network. <see cref="Load{TNetwork}(TNetwork, string, IOptimizer?)"/> accepts only files
/// this library wrote (format 2): their metadata says so, and an integrity hash (<see cref="CheckpointMetadata.Integrity"/>)
/// covers the canonical header (every metadata entry, every tensor's name, dtype, shape and offsets) and the data, so
/// an edited header (offsets of two tensors swapped, metadata removed or changed) is refused like corrupt data.
/// Files from other tools (no CompiledNets metadata) and format-1 files load only through the explicit
/// <see cref="LoadForeign{TNetwork}"/>, which checks names, dtypes and shapes (and the format-1 data checksum).</para>
/// <para>Only a regular file is read: a named pipe, socket or device is refused without blocking. A header longer
/// than the network's tensors and a few MiB of metadata could need is refused before it is read.</para>
/// <para>The <see cref="Stream"/> overloads write and read the same format to and from any stream (a network
/// location, an archive entry, memory): atomicity, the temporary files and the regular-file check are then the
/// caller's, since only a file can be renamed into place. Loading from a stream validates everything else the same way.</para>
/// <para>Saving removes the temporary files of earlier saves to the same path that were killed mid-write (files
/// named <c>.{file}.{32 hex digits}.tmp</c> that no live save holds locked).</para>
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>The layout version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// Room for metadata beyond the network's own tensors when bounding a header before reading it (training state,
    /// notes): a header larger than the expected tensors plus this is corrupt or not this network's checkpoint.
    /// </summary>
    public const long MetadataAllowanceBytes = 4 << 20;

    private const int CopyChunkBytes = 1 << 16;

    /// <summary>Full parameter-sized copies a training state may add to a checkpoint, when bounding its header.</summary>
    private const int TrainingStateCopiesAllowance = 4;

    /// <summary>Writes <paramref name="network"/>'s parameters, and <paramref name="optimizer"/>'s state when given, to <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    /// <exception cref="IOException">Writing failed; an existing file at <paramref name="path"/> is left as it was.</exception>
    public static void Save<TNetwork>(TNetwork network, string path, IOptimizer? optimizer = null)
        where TNetwork : INetwork => Save(network, path, optimizer, trainingState: null);

    /// <summary>
    /// Writes the parameters, the optimizer's state when given, and a <see cref="TrainingState"/> when given (see
    /// <see cref="TrainingStateMetadata"/> for how), so that <see cref="LoadForResume{TNetwork}"/> can continue the run.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    /// <exception cref="IOException">Writing failed; an existing file at <paramref name="path"/> is left as it was.</exception>
    public static void Save<TNetwork>(TNetwork network, string path, IOptimizer? optimizer, TrainingState? trainingState)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckpointContent content = Collect(network, optimizer, trainingState);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot save checkpoint '{path}': directory '{directory}' does not exist.");

        CheckpointTempFiles.RemoveStale(directory, Path.GetFileName(fullPath));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyChunkBytes))
            {
                Write(network, content, stream, path);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes the same checkpoint as the path overload (parameters, optimizer state and training state when given) to
    /// <paramref name="stream"/>, from its current position; the stream is flushed, not closed. Not atomic: a failure
    /// part way leaves part of a checkpoint in the stream (which loading then refuses), so write to a temporary target
    /// and commit it the way the storage allows (the path overload renames a temporary file into place).
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot be written.</exception>
    public static void Save<TNetwork>(TNetwork network, Stream stream, IOptimizer? optimizer = null, TrainingState? trainingState = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream cannot be written.", nameof(stream));
        Write(network, Collect(network, optimizer, trainingState), stream, StreamName);
        stream.Flush();
    }

    /// <summary>What a checkpoint holds: its tensors and where their data comes from, and its metadata with the integrity hash.</summary>
    private sealed record CheckpointContent(
        List<(string Name, IReadOnlyList<int> Shape, long Begin, long End)> Tensors,
        List<(float[]? State, int Offset, int Length)> Sources,
        List<CheckpointTensorInfo> TensorInfos,
        List<KeyValuePair<string, string>> Metadata,
        string Checksum);

    private static CheckpointContent Collect<TNetwork>(TNetwork network, IOptimizer? optimizer, TrainingState? trainingState)
        where TNetwork : INetwork
    {
        var tensors = new List<(string Name, IReadOnlyList<int> Shape, long Begin, long End)>();
        var sources = new List<(float[]? State, int Offset, int Length)>();
        CollectTensors<TNetwork>(network, optimizer, trainingState, tensors, sources);

        var metadata = new List<KeyValuePair<string, string>>
        {
            new(CheckpointMetadata.Format, CheckpointMetadata.FormatName),
            new(CheckpointMetadata.FormatVersion, SafetensorsHeader.FormatInvariant(FormatVersion)),
            new(CheckpointMetadata.Network, TNetwork.NetworkName),
            new(CheckpointMetadata.ParameterCount, SafetensorsHeader.FormatInvariant(TNetwork.ParameterCount)),
        };
        if (optimizer is not null)
        {
            metadata.Add(new(CheckpointMetadata.Optimizer, optimizer.Name));
            metadata.Add(new(CheckpointMetadata.OptimizerStepCount, SafetensorsHeader.FormatInvariant(optimizer.StepCount)));
        }

        // The training state's metadata is part of what the integrity hash covers (its tensors are in the data).
        if (trainingState is not null) TrainingStateMetadata.Write(trainingState, metadata);

        var tensorInfos = tensors.Select(t => new CheckpointTensorInfo(t.Name, "F32", t.Shape.Select(d => (long)d).ToArray(), t.Begin, t.End)).ToList();
        XxHash64 hash = CheckpointIntegrity.Begin(metadata, tensorInfos);
        foreach (var source in sources) WriteLittleEndian(Data(network, source), hash, stream: null);
        string checksum = CheckpointIntegrity.Format(hash);
        metadata.Add(new(CheckpointMetadata.Integrity, checksum));
        return new CheckpointContent(tensors, sources, tensorInfos, metadata, checksum);
    }

    private static void Write<TNetwork>(TNetwork network, CheckpointContent content, Stream stream, string path)
        where TNetwork : INetwork
    {
        SafetensorsHeader.Write(stream, content.Tensors, content.Metadata);
        XxHash64 verify = CheckpointIntegrity.Begin(content.Metadata, content.TensorInfos); // the hash skips the integrity entry itself
        foreach (var source in content.Sources) WriteLittleEndian(Data(network, source), verify, stream);
        // The data is hashed twice so a buffer changed between the two passes (a training thread still
        // running) is caught here instead of producing a file whose checksum can never match.
        if (CheckpointIntegrity.Format(verify) != content.Checksum)
            throw new InvalidOperationException($"Cannot save checkpoint '{path}': the parameters changed while they were being written.");
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="network"/>'s parameters, and into
    /// <paramref name="optimizer"/>'s state and step count when given (initialising its state first if empty).
    /// Everything is validated first: on any error nothing is changed in the network or the optimizer's buffers.
    /// Only checkpoints this library saved load here; see <see cref="LoadForeign{TNetwork}"/> for other safetensors files.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint for this network (and optimizer), or not a regular file.</exception>
    public static void Load<TNetwork>(TNetwork network, string path, IOptimizer? optimizer = null)
        where TNetwork : INetwork => LoadCore(network, path, optimizer, foreign: false, withTrainingState: false);

    /// <summary>
    /// Loads the weights of a safetensors file written by another tool (PyTorch, a converter) or by an older
    /// CompiledNets (format 1), matching tensors by name: every parameter tensor must be present as F32 with the
    /// network's shape, and no other tensor may be (optimizer state of a CompiledNets file is skipped). Such a file has
    /// no integrity hash, so an edited header cannot be detected; the checks that remain are names, dtypes, shapes and
    /// layout, the network name when the file carries one, and the data checksum of a format-1 file (or the integrity
    /// hash when the file has one). On any error the network is left unchanged.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file does not hold this network's weights, or is not a regular file.</exception>
    public static void LoadForeign<TNetwork>(TNetwork network, string path)
        where TNetwork : INetwork => LoadCore(network, path, optimizer: null, foreign: true, withTrainingState: false);

    /// <summary>
    /// Reads a checkpoint saved with a training state (by <see cref="TrainingContext.SaveCheckpoint"/>, a
    /// <see cref="ModelCheckpoint"/>, or <see cref="Save{TNetwork}(TNetwork, string, IOptimizer?, TrainingState?)"/>) into
    /// the network and the optimizer, and returns the state to pass as <see cref="TrainingOptions.ResumeFrom"/>.
    /// Everything is validated first: on any error nothing is changed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint for this network and optimizer, or holds no training state.</exception>
    public static TrainingState LoadForResume<TNetwork>(TNetwork network, string path, IOptimizer optimizer)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return LoadCore(network, path, optimizer, foreign: false, withTrainingState: true)!;
    }

    /// <summary>
    /// Reads a checkpoint this library saved from <paramref name="stream"/> (its whole content, from position 0: the
    /// stream must be seekable, e.g. a <see cref="MemoryStream"/> or a <see cref="FileStream"/>) into the network, and into
    /// <paramref name="optimizer"/>'s state when given, with every check of the path overload; errors name the
    /// checkpoint "(stream)". The stream is not closed.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot be read or cannot seek (copy it into a MemoryStream first).</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a valid checkpoint for this network (and optimizer).</exception>
    public static void Load<TNetwork>(TNetwork network, Stream stream, IOptimizer? optimizer = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("A checkpoint is read from a readable, seekable stream (its header gives the data's offsets): copy it into a MemoryStream first.", nameof(stream));
        LoadFrom(network, stream, StreamName, optimizer, foreign: false, withTrainingState: false);
    }

    /// <summary>How errors name a checkpoint read from or written to a stream.</summary>
    private const string StreamName = "(stream)";

    private static TrainingState? LoadCore<TNetwork>(TNetwork network, string path, IOptimizer? optimizer, bool foreign, bool withTrainingState)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = OpenCheckpoint(path);
        return LoadFrom(network, file, path, optimizer, foreign, withTrainingState);
    }

    private static TrainingState? LoadFrom<TNetwork>(TNetwork network, Stream file, string path, IOptimizer? optimizer, bool foreign, bool withTrainingState)
        where TNetwork : INetwork
    {
        if (network.Parameters.Length != TNetwork.ParameterCount)
            throw new ArgumentException($"{TNetwork.NetworkName}.Parameters has {network.Parameters.Length} floats, but ParameterCount is {TNetwork.ParameterCount}.", nameof(network));

        CheckpointInfo info = ReadInfo(file, path, MaxHeaderLength<TNetwork>(optimizer));
        IReadOnlyDictionary<string, string> metadata = info.Metadata;
        CheckNetworkMetadata<TNetwork>(info, path);

        // Plan where each wanted tensor goes: staging buffers that are copied into the network only at the end.
        float[] parameters = network.Parameters.ToArray();
        var targets = new Dictionary<string, (float[] Buffer, int Offset, IReadOnlyList<int> Shape)>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in TNetwork.ParameterTensors) targets[tensor.Name] = (parameters, tensor.Offset, tensor.Shape);

        long stepCount = 0;
        var states = new List<(OptimizerState State, float[] Staging)>();
        if (optimizer is not null)
        {
            stepCount = CheckOptimizer(optimizer, metadata, path);
            if (optimizer.State.Count == 0) optimizer.Initialize(TNetwork.ParameterTensors, TNetwork.ParameterCount);
            foreach (OptimizerState state in optimizer.State)
            {
                if (state.Values.Length != TNetwork.ParameterCount)
                    throw new ArgumentException($"Optimizer state '{state.Name}' has {state.Values.Length} floats, not the network's {TNetwork.ParameterCount}.", nameof(optimizer));
                float[] staging = (float[])state.Values.Clone();
                states.Add((state, staging));
                foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
                    targets[OptimizerTensorName(state.Name, tensor.Name)] = (staging, tensor.Offset, tensor.Shape);
            }
        }

        var trainingBuffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (withTrainingState)
        {
            if (!metadata.ContainsKey(TrainingStateMetadata.StateVersion))
                throw CheckpointError.Create(path, "it holds no training state (it was saved without one, e.g. by net.Save): it cannot resume a run. Load it with Checkpoint.Load to restore the weights.");
            foreach (string name in TrainingStateMetadata.BufferNames(metadata))
            {
                var buffer = new float[TNetwork.ParameterCount];
                trainingBuffers[name] = buffer;
                foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
                    targets[TrainingStateMetadata.TensorName(name, tensor.Name)] = (buffer, tensor.Offset, tensor.Shape);
            }
        }

        CheckTensors(info, targets, ignoreOptimizerTensors: optimizer is null && metadata.ContainsKey(CheckpointMetadata.Optimizer),
            ignoreTrainingTensors: !withTrainingState, path);
        TrainingState? trainingState = withTrainingState ? TrainingStateMetadata.Read(metadata, trainingBuffers, path) : null;
        // Checked after the tensors, so a file with the wrong tensors says which, whoever wrote it.
        if (!foreign) CheckWrittenByCompiledNets(info, path);
        ReadData(file, info, targets, path);

        parameters.CopyTo(network.Parameters);
        foreach (var (state, staging) in states) staging.CopyTo(state.Values, 0);
        if (optimizer is not null) optimizer.StepCount = stepCount;
        return trainingState;
    }

    /// <summary>
    /// The longest header a checkpoint of <typeparamref name="TNetwork"/> can plausibly have: its tensors (and the
    /// optimizer's) at a generous 256 bytes each plus their names, and <see cref="MetadataAllowanceBytes"/>. A longer
    /// one (a 100 MB header of empty tensors) is refused before a byte of it is read.
    /// </summary>
    private static long MaxHeaderLength<TNetwork>(IOptimizer? optimizer)
        where TNetwork : INetwork
    {
        long perCopy = 0;
        foreach (ParameterTensor tensor in TNetwork.ParameterTensors) perCopy += 256 + 4L * tensor.Name.Length + 16L * tensor.Shape.Count;
        // A file saved with an optimizer may be loaded without one, and a training state adds a few full copies (best weights, ...).
        int copies = 1 + Math.Max(optimizer?.State.Count ?? 0, 4) + TrainingStateCopiesAllowance;
        return Math.Min(SafetensorsHeader.MaxHeaderLength, MetadataAllowanceBytes + copies * (perCopy + 64));
    }

    /// <summary>Reads and validates a checkpoint's header (format, layout, metadata) without loading any data.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = OpenCheckpoint(path);
        return ReadInfo(file, path, SafetensorsHeader.MaxHeaderLength);
    }

    private static FileStream OpenCheckpoint(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        return IO.RegularFile.OpenRead(path, CopyChunkBytes, problem => CheckpointError.Create(path, problem));
    }

    /// <summary>The tensor name under which optimizer state <paramref name="stateName"/> of parameter <paramref name="tensorName"/> is stored.</summary>
    public static string OptimizerTensorName(string stateName, string tensorName) =>
        $"{CheckpointMetadata.OptimizerTensorPrefix}{stateName}.{tensorName}";

    private static CheckpointInfo ReadInfo(Stream file, string path, long maxHeaderLength)
    {
        try
        {
            return SafetensorsHeader.Read(file, path, maxHeaderLength);
        }
        catch (EndOfStreamException exception)
        {
            throw CheckpointError.Create(path, "the file ended early (it changed while being read?).", exception);
        }
    }

    private static void CollectTensors<TNetwork>(TNetwork network, IOptimizer? optimizer, TrainingState? trainingState,
        List<(string Name, IReadOnlyList<int> Shape, long Begin, long End)> tensors, List<(float[]? State, int Offset, int Length)> sources)
        where TNetwork : INetwork
    {
        int parameterCount = TNetwork.ParameterCount;
        if (network.Parameters.Length != parameterCount)
            throw new ArgumentException($"{TNetwork.NetworkName}.Parameters has {network.Parameters.Length} floats, but ParameterCount is {parameterCount}.", nameof(network));
        var names = new HashSet<string>(StringComparer.Ordinal);
        long position = 0;
        void Add(string name, IReadOnlyList<int> shape, float[]? state, int offset, int length)
        {
            if (!names.Add(name)) throw new ArgumentException($"Two tensors are named '{name}'.");
            tensors.Add((name, shape, position, position + 4L * length));
            sources.Add((state, offset, length));
            position += 4L * length;
        }

        foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
        {
            if (tensor.Offset < 0 || (long)tensor.Offset + tensor.Length > parameterCount)
                throw new ArgumentException($"Parameter tensor {tensor} lies outside the {parameterCount} parameters of {TNetwork.NetworkName}.");
            if (tensor.Name.StartsWith("__", StringComparison.Ordinal) || tensor.Name.StartsWith(CheckpointMetadata.OptimizerTensorPrefix, StringComparison.Ordinal)
                || tensor.Name.StartsWith(TrainingStateMetadata.Prefix, StringComparison.Ordinal))
                throw new ArgumentException($"Parameter tensor name '{tensor.Name}' is reserved.");
            Add(tensor.Name, tensor.Shape, null, tensor.Offset, tensor.Length);
        }

        foreach (OptimizerState state in optimizer?.State ?? [])
        {
            if (state.Values.Length != parameterCount)
                throw new ArgumentException($"Optimizer state '{state.Name}' has {state.Values.Length} floats, not the network's {parameterCount}.", nameof(optimizer));
            foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
                Add(OptimizerTensorName(state.Name, tensor.Name), tensor.Shape, state.Values, tensor.Offset, tensor.Length);
        }

        IEnumerable<KeyValuePair<string, float[]>> buffers = trainingState?.Buffers ?? new Dictionary<string, float[]>();
        foreach (var (name, buffer) in buffers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            TrainingStateMetadata.CheckBufferName(name);
            if (buffer.Length != parameterCount)
                throw new ArgumentException($"Training-state buffer '{name}' has {buffer.Length} floats, not the network's {parameterCount}.", nameof(trainingState));
            foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
                Add(TrainingStateMetadata.TensorName(name, tensor.Name), tensor.Shape, buffer, tensor.Offset, tensor.Length);
        }
    }

    private static ReadOnlySpan<float> Data<TNetwork>(TNetwork network, (float[]? State, int Offset, int Length) source)
        where TNetwork : INetwork =>
        source.State is null ? network.Parameters.Slice(source.Offset, source.Length) : source.State.AsSpan(source.Offset, source.Length);

    /// <summary>What <see cref="Load{TNetwork}(TNetwork, string, IOptimizer?)"/> requires beyond <see cref="LoadForeign{TNetwork}"/>: format 2 metadata with its integrity hash.</summary>
    private static void CheckWrittenByCompiledNets(CheckpointInfo info, string path)
    {
        IReadOnlyDictionary<string, string> metadata = info.Metadata;
        const string foreignHint = "load a safetensors file from another tool with Checkpoint.LoadForeign, which matches tensors by name and shape";
        if (!metadata.TryGetValue(CheckpointMetadata.Format, out string? format))
        {
            throw CheckpointError.Create(path, metadata.Count == 0
                ? $"it has no CompiledNets metadata ('__metadata__' is missing or empty), so it cannot be verified: {foreignHint}."
                : $"its metadata has no '{CheckpointMetadata.Format}' entry, so it is not a CompiledNets checkpoint and cannot be verified: {foreignHint}.");
        }

        if (format != CheckpointMetadata.FormatName)
            throw CheckpointError.Create(path, $"its metadata says format '{format}', not '{CheckpointMetadata.FormatName}', so it cannot be verified: {foreignHint}.");
        if (!metadata.TryGetValue(CheckpointMetadata.FormatVersion, out string? versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
        {
            throw CheckpointError.Create(path, $"metadata '{CheckpointMetadata.FormatVersion}' is {(versionText is null ? "missing" : $"'{versionText}'")}, not a version number.");
        }

        if (version > FormatVersion)
            throw CheckpointError.Create(path, $"it has format version {version}; this library reads up to {FormatVersion}. Update CompiledNets.");
        if (version < FormatVersion)
        {
            throw CheckpointError.Create(path,
                $"it has format version {version}, whose checksum covers only the data and not which tensor name points at which bytes: load it with Checkpoint.LoadForeign (names, shapes and its data checksum are checked) and save it again to upgrade it.");
        }

        if (!metadata.ContainsKey(CheckpointMetadata.Integrity))
            throw CheckpointError.Create(path, $"it says it was written by CompiledNets but has no '{CheckpointMetadata.Integrity}' integrity hash.");
    }

    /// <summary>What any file must agree with when it states it: format version, network name, parameter count.</summary>
    private static void CheckNetworkMetadata<TNetwork>(CheckpointInfo info, string path)
        where TNetwork : INetwork
    {
        IReadOnlyDictionary<string, string> metadata = info.Metadata;
        if (metadata.TryGetValue(CheckpointMetadata.FormatVersion, out string? versionText)
            && int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) && version > FormatVersion)
        {
            throw CheckpointError.Create(path, $"it has format version {version}; this library reads up to {FormatVersion}. Update CompiledNets.");
        }

        if (metadata.TryGetValue(CheckpointMetadata.Network, out string? network) && network != TNetwork.NetworkName)
            throw CheckpointError.Create(path, $"it was saved from network '{network}', not '{TNetwork.NetworkName}'.");

        if (metadata.TryGetValue(CheckpointMetadata.ParameterCount, out string? countText)
            && countText != SafetensorsHeader.FormatInvariant(TNetwork.ParameterCount))
        {
            throw CheckpointError.Create(path, $"it holds {countText} parameters; {TNetwork.NetworkName} has {TNetwork.ParameterCount}.");
        }
    }

    private static long CheckOptimizer(IOptimizer optimizer, IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(CheckpointMetadata.Optimizer, out string? name))
            throw CheckpointError.Create(path, $"it has no optimizer state (it was saved without an optimizer), but optimizer '{optimizer.Name}' was asked to load it. Load without an optimizer to restore only the weights.");
        if (name != optimizer.Name)
            throw CheckpointError.Create(path, $"it holds the state of optimizer '{name}', not '{optimizer.Name}'.");
        if (!metadata.TryGetValue(CheckpointMetadata.OptimizerStepCount, out string? stepText)
            || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out long steps))
        {
            throw CheckpointError.Create(path, $"metadata '{CheckpointMetadata.OptimizerStepCount}' is missing or not a non-negative integer.");
        }

        return steps;
    }

    private static void CheckTensors(CheckpointInfo info, Dictionary<string, (float[] Buffer, int Offset, IReadOnlyList<int> Shape)> targets,
        bool ignoreOptimizerTensors, bool ignoreTrainingTensors, string path)
    {
        var problems = new List<string>();
        var unexpected = new List<string>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (CheckpointTensorInfo tensor in info.Tensors)
        {
            present.Add(tensor.Name);
            if (!targets.TryGetValue(tensor.Name, out var target))
            {
                if (!(ignoreOptimizerTensors && tensor.Name.StartsWith(CheckpointMetadata.OptimizerTensorPrefix, StringComparison.Ordinal))
                    && !(ignoreTrainingTensors && tensor.Name.StartsWith(TrainingStateMetadata.Prefix, StringComparison.Ordinal)))
                    unexpected.Add(tensor.Name);
                continue;
            }

            if (tensor.DType != "F32") problems.Add($"tensor '{tensor.Name}' has dtype {tensor.DType}, expected F32");
            if (!tensor.Shape.SequenceEqual(target.Shape.Select(d => (long)d)))
                problems.Add($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", target.Shape)}]");
        }

        var missing = targets.Keys.Where(name => !present.Contains(name)).ToList();
        if (missing.Count > 0) problems.Insert(0, $"missing tensors: {Join(missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected tensors (not in this network): {Join(unexpected)}");
        if (problems.Count > 0) throw CheckpointError.Create(path, $"it does not match this network: {string.Join("; ", problems)}.");
    }

    private static string Join(List<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Count - 8} more";

    private static void ReadData(Stream file, CheckpointInfo info,
        Dictionary<string, (float[] Buffer, int Offset, IReadOnlyList<int> Shape)> targets, string path)
    {
        // Format 2 hashes the canonical header and then the data; format 1 (read only by LoadForeign) the data alone.
        bool integrity = info.Metadata.ContainsKey(CheckpointMetadata.Integrity);
        XxHash64 hash = integrity ? CheckpointIntegrity.Begin(info.Metadata, info.Tensors) : new XxHash64();
        byte[] scratch = new byte[CopyChunkBytes];
        file.Position = info.DataOffset;
        try
        {
            foreach (CheckpointTensorInfo tensor in info.Tensors)
            {
                if (targets.TryGetValue(tensor.Name, out var target))
                {
                    Span<float> destination = target.Buffer.AsSpan(target.Offset, (int)(tensor.ByteLength / 4));
                    Span<byte> bytes = MemoryMarshal.AsBytes(destination);
                    file.ReadExactly(bytes);
                    hash.Append(bytes);
                    if (!BitConverter.IsLittleEndian)
                    {
                        Span<int> words = MemoryMarshal.Cast<float, int>(destination);
                        BinaryPrimitives.ReverseEndianness(words, words);
                    }

                    continue;
                }

                for (long remaining = tensor.ByteLength; remaining > 0;)
                {
                    int chunk = (int)Math.Min(remaining, scratch.Length);
                    file.ReadExactly(scratch, 0, chunk);
                    hash.Append(scratch.AsSpan(0, chunk));
                    remaining -= chunk;
                }
            }
        }
        catch (EndOfStreamException exception)
        {
            throw CheckpointError.Create(path, "the file ended inside the data section (it changed while being read?).", exception);
        }

        string actual = CheckpointIntegrity.Format(hash);
        if (integrity)
        {
            // Ordinal: the writer uses lower case, so even a flipped case bit in the stored hash is a changed file.
            string expected = info.Metadata[CheckpointMetadata.Integrity];
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw CheckpointError.Create(path,
                    $"the integrity hash (checksum) of its header and data is {actual} but the file says {expected}: the file is corrupt, or its data, tensor names, shapes, offsets or metadata were edited after saving.");
            }
        }
        else if (info.Metadata.TryGetValue(CheckpointMetadata.DataChecksum, out string? expected)
            && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw CheckpointError.Create(path, $"the data checksum is {actual} but the header says {expected}: the data is corrupt.");
        }
    }

    private static void WriteLittleEndian(ReadOnlySpan<float> values, XxHash64 hash, Stream? stream)
    {
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
            hash.Append(bytes);
            stream?.Write(bytes);
            return;
        }

        Span<byte> buffer = stackalloc byte[1024];
        while (!values.IsEmpty)
        {
            int count = Math.Min(values.Length, buffer.Length / 4);
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.Slice(4 * i), values[i]);
            hash.Append(buffer[..(4 * count)]);
            stream?.Write(buffer[..(4 * count)]);
            values = values[count..];
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
