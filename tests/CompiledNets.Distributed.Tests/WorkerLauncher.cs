using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CompiledNets.Distributed.Tests;

/// <summary>What one run of the worker left behind.</summary>
internal sealed record WorkerRunResult(int ExitCode, string Output, string Directory, TimeSpan Elapsed)
{
    public float[] Weights(int rank) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Directory, $"weights-rank{rank}.bin"))).ToArray();

    public string Field(int rank, string name) =>
        File.ReadAllLines(Path.Combine(Directory, $"result-rank{rank}.txt")).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..];

    public double[] Losses(int rank) => Field(rank, "losses").Split(' ').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public WorkerRunResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"The worker failed (exit {ExitCode}):\n{Output}");
        return this;
    }
}

/// <summary>
/// Starts the worker (tests/CompiledNets.Distributed.Worker) alone or under <c>mpirun -np N</c> on localhost, with a
/// hard time limit: a run that outlives it is killed (the whole process tree) and the test fails, so no test can hang.
/// </summary>
internal static class WorkerLauncher
{
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(120);

    private static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "CompiledNets.Distributed.Worker.dll");

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>One process, no MPI: the reference.</summary>
    public static WorkerRunResult Alone(params string[] arguments) => Start(Dotnet, [WorkerDll, .. WithOutput(arguments, out string directory)], directory, null);

    /// <summary><c>mpirun -np <paramref name="ranks"/></c> of the worker with <c>--mpi</c>.</summary>
    public static WorkerRunResult Mpi(int ranks, params string[] arguments)
    {
        string mpirun = FindMpirun();
        string[] launch = ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Dotnet, WorkerDll, "--mpi", .. WithOutput(arguments, out string directory)];
        return Start(mpirun, launch, directory, null);
    }

    /// <summary>The worker with <c>--mpi</c> but started without mpirun, with extra environment variables.</summary>
    public static WorkerRunResult MpiWithoutLauncher(Dictionary<string, string> environment, params string[] arguments) =>
        Start(Dotnet, [WorkerDll, "--mpi", .. WithOutput(arguments, out string directory)], directory, environment);

    public static string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "compilednets-mpi-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    private static string[] WithOutput(string[] arguments, out string directory)
    {
        int index = Array.IndexOf(arguments, "--out");
        if (index >= 0)
        {
            directory = arguments[index + 1];
            return arguments;
        }
        directory = NewDirectory();
        return [.. arguments, "--out", directory];
    }

    private static string FindMpirun()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "mpirun");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("mpirun was not found on PATH: the distributed tests need Open MPI (apt-get install openmpi-bin libopenmpi-dev; .ci/run installs it).");
    }

    private static WorkerRunResult Start(string program, string[] arguments, string directory, Dictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null) foreach ((string key, string value) in environment) info.Environment[key] = value;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(HardLimit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) Assert.Fail($"'{program} {string.Join(' ', arguments)}' did not finish within {HardLimit.TotalSeconds} s and was killed (a hang).\n{output}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (output) return new WorkerRunResult(process.ExitCode, output.ToString(), directory, clock.Elapsed);
    }
}
