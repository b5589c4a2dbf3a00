namespace CompiledNets.Checkpoints;

/// <summary>
/// Builds the one exception type a bad checkpoint produces. <see cref="InvalidDataException"/> is sealed, so
/// there is no subclass: the message always starts with <c>Checkpoint '{path}':</c> and then says what is wrong.
/// </summary>
internal static class CheckpointError
{
    public static InvalidDataException Create(string path, string problem, Exception? innerException = null) =>
        new($"Checkpoint '{path}': {problem}", innerException);
}
