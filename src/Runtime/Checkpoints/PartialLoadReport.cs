namespace CompiledNets.Checkpoints;

/// <summary>What <see cref="Checkpoint.LoadPartial{TNetwork}"/> did, tensor by tensor.</summary>
public sealed class PartialLoadReport
{
    internal PartialLoadReport(IReadOnlyList<(string Network, string File)> loaded, IReadOnlyList<string> skippedInFile, IReadOnlyList<string> notInFile)
    {
        Loaded = loaded;
        SkippedInFile = skippedInFile;
        NotInFile = notInFile;
    }

    /// <summary>Network tensors loaded, with the file tensor each came from.</summary>
    public IReadOnlyList<(string Network, string File)> Loaded { get; }

    /// <summary>Tensors of the file that no loaded network tensor took (another head, optimizer or training state).</summary>
    public IReadOnlyList<string> SkippedInFile { get; }

    /// <summary>Network tensors the file does not have (or that were excluded): left as they were.</summary>
    public IReadOnlyList<string> NotInFile { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"loaded {Loaded.Count} tensors ({string.Join(", ", Loaded.Select(l => l.Network == l.File ? l.Network : $"{l.Network} <- {l.File}"))}); " +
        $"skipped {SkippedInFile.Count} in the file; {NotInFile.Count} of the network's tensors not loaded ({string.Join(", ", NotInFile)})";
}
