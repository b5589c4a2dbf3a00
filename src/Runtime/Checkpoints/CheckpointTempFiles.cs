namespace CompiledNets.Checkpoints;

/// <summary>
/// The temporary files of <see cref="Checkpoint.Save{TNetwork}(TNetwork, string, Training.IOptimizer?)"/> (<c>.{file}.{32 hex digits}.tmp</c>, next to the
/// target). A save that fails removes its own; a killed process cannot, so each save first removes those that a
/// killed save left for the same target. A live save holds its temporary file open with
/// <see cref="FileShare.None"/> (an exclusive lock, also on Unix), so one that cannot be opened exclusively belongs
/// to a save still running and is left alone.
/// </summary>
internal static class CheckpointTempFiles
{
    private const int GuidDigits = 32;

    public static void RemoveStale(string directory, string fileName)
    {
        string prefix = "." + fileName + ".";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, prefix + "*.tmp").ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return; // cleaning up is a courtesy: the save itself reports real problems with the directory
        }

        foreach (string candidate in candidates)
        {
            string name = Path.GetFileName(candidate);
            if (name.Length != prefix.Length + GuidDigits + 4 || !IsHex(name.AsSpan(prefix.Length, GuidDigits))) continue;
            if (!IsAbandoned(candidate)) continue;
            try
            {
                File.Delete(candidate);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsAbandoned(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c)) return false;
        }

        return true;
    }
}
