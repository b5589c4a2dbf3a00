namespace CompiledNets.Checkpoints;

public static partial class Checkpoint
{
    /// <summary>
    /// Transfer learning: loads the tensors of another network's checkpoint whose names match this network's (after
    /// <paramref name="mapName"/>, which maps a network tensor name to the file's, e.g. <c>n =&gt; "backbone." + n</c>),
    /// optionally only those <paramref name="include"/> accepts, and leaves every other parameter as it is. The file's
    /// other tensors are skipped. A matched tensor whose shape or dtype differs is an error, and so is a file whose
    /// checksum fails: the whole file is validated before anything is written, so on error the network is unchanged.
    /// Pair it with <see cref="Training.Trainer{TNetwork}.Freeze"/> to train only the new layers.
    /// </summary>
    /// <exception cref="InvalidDataException">Shape or dtype mismatches (all listed), a corrupt file, or nothing matched.</exception>
    public static PartialLoadReport LoadPartial<TNetwork>(TNetwork network, string path, Func<string, bool>? include = null, Func<string, string>? mapName = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (network.Parameters.Length != TNetwork.ParameterCount)
            throw new ArgumentException($"{TNetwork.NetworkName}.Parameters has {network.Parameters.Length} floats, but ParameterCount is {TNetwork.ParameterCount}.", nameof(network));

        // Another network's checkpoint: its header is bounded only by the format's own limit, not by this network's size.
        using FileStream file = OpenCheckpoint(path);
        CheckpointInfo info = ReadInfo(file, path, SafetensorsHeader.MaxHeaderLength);
        var inFile = info.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        float[] parameters = network.Parameters.ToArray();
        var targets = new Dictionary<string, (float[] Buffer, int Offset, IReadOnlyList<int> Shape)>(StringComparer.Ordinal);
        var loaded = new List<(string Network, string File)>();
        var notInFile = new List<string>();
        var problems = new List<string>();
        foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
        {
            string fileName = mapName?.Invoke(tensor.Name) ?? tensor.Name;
            if ((include is not null && !include(tensor.Name)) || !inFile.TryGetValue(fileName, out CheckpointTensorInfo? source))
            {
                notInFile.Add(tensor.Name);
                continue;
            }
            if (source.DType != "F32") problems.Add($"'{fileName}' has dtype {source.DType}, expected F32");
            else if (!source.Shape.SequenceEqual(tensor.Shape.Select(d => (long)d)))
                problems.Add($"'{fileName}' has shape [{string.Join(", ", source.Shape)}] but {TNetwork.NetworkName}'s '{tensor.Name}' is [{string.Join(", ", tensor.Shape)}]");
            else if (!targets.TryAdd(fileName, (parameters, tensor.Offset, tensor.Shape)))
                problems.Add($"two network tensors map to '{fileName}'");
            else loaded.Add((tensor.Name, fileName));
        }

        if (problems.Count > 0) throw CheckpointError.Create(path, $"it cannot be loaded partially into {TNetwork.NetworkName}: {string.Join("; ", problems)}.");
        if (loaded.Count == 0)
        {
            throw CheckpointError.Create(path, $"none of {TNetwork.NetworkName}'s tensors ({string.Join(", ", TNetwork.ParameterTensors.Select(t => t.Name))}) " +
                $"is in the file ({Join(info.Tensors.Select(t => t.Name).ToList())}); map the names with mapName.");
        }

        ReadData(file, info, targets, path);
        parameters.CopyTo(network.Parameters);
        var skipped = info.Tensors.Select(t => t.Name).Where(name => !targets.ContainsKey(name)).ToList();
        return new PartialLoadReport(loaded, skipped, notInFile);
    }
}
