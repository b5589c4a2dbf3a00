using Xunit;

namespace CompiledNets.Tests.Hardening;

/// <summary>Runs an action that must not block (a named pipe, /dev/zero) and returns what it threw.</summary>
internal static class Within
{
    public static async Task<Exception?> Seconds(int seconds, Action action)
    {
        Task<Exception?> task = Task.Run(() => (Exception?)Record.Exception(action));
        Task finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(finished == task, $"still running after {seconds} s: it blocked");
        return await task;
    }
}
