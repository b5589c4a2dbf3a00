using System.Runtime.CompilerServices;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// Golden files in Snapshots/ next to this source file (not in bin): a mismatch or a missing file fails and
/// leaves &lt;name&gt;.received.txt to inspect; UPDATE_SNAPSHOTS=1 accepts the received text instead.
/// </summary>
internal static class GoldenFile
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.txt");
        string received = Path.Combine(directory, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == actual)
        {
            File.Delete(received);
            return;
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(verified)
            ? $"Generated source differs from {verified}; see {received} (UPDATE_SNAPSHOTS=1 accepts it)."
            : $"No golden file {verified}; the received text is in {received} (UPDATE_SNAPSHOTS=1 accepts it).");
    }
}
