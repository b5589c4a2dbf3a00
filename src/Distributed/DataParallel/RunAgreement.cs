using System.Globalization;
using System.Text;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Training;

namespace CompiledNets.Distributed;

/// <summary>
/// Checks at the start of a run that every process trains the same thing (network type, parameter layout, optimizer,
/// dataset size, options): rank 0's description is broadcast, each process compares it with its own, and the number of
/// disagreeing processes is summed, so that every process fails together with an error naming what differs instead of
/// some of them waiting forever in the first allreduce.
/// </summary>
internal static class RunAgreement
{
    public static string Describe(DataParallelFit fit, DataParallelMode mode, int averagingInterval)
    {
        TrainingOptions options = fit.Options;
        var text = new StringBuilder();
        void Line(string key, object value) => text.Append(key).Append(": ").Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        Line("network", fit.NetworkName);
        Line("parameters", fit.ParameterTensors.Sum(t => (long)t.Length));
        Line("tensors", string.Join(", ", fit.ParameterTensors.Select(t => $"{t.Name}[{string.Join("x", t.Shape)}]@{t.Offset}")));
        Line("optimizer", $"{fit.Optimizer.Name} ({string.Join(", ", fit.Optimizer.State.Select(s => $"{s.Name}[{s.Values.Length}]"))})");
        Line("training samples", fit.TrainingSamples);
        Line("epochs", options.Epochs);
        Line("batch size", options.BatchSize);
        Line("seed", options.Seed);
        Line("shuffle", options.Shuffle);
        Line("L2", options.L2);
        Line("gradient clip norm", options.GradientClipNorm);
        Line("validation samples", options.Validation?.Count ?? 0);
        Line("batch transform", options.BatchTransform?.GetType().FullName ?? "none");
        // A resume must start every process at the same position (each loads the same checkpoint's state).
        Line("resume from", options.ResumeFrom is { } state ? state.ToString() : "the start");
        Line("mode", mode == DataParallelMode.ParameterAveraging ? $"{mode} every {averagingInterval} steps" : mode);
        return text.ToString();
    }

    public static void Check(MpiCommunicator communicator, string description)
    {
        string reference = communicator.Broadcast(description, root: 0);
        string? difference = FirstDifference(reference, description);
        Span<double> disagreeing = [difference is null ? 0 : 1];
        communicator.AllreduceSum(disagreeing);
        if (disagreeing[0] == 0) return;
        string where = $"Rank {communicator.Rank} of {communicator.Size}";
        throw new InvalidOperationException(difference is not null
            ? $"{where} trains something different from rank 0, so the processes cannot train together: {difference}. Start every process with the same program, network and options."
            : $"{where}: {disagreeing[0]} process(es) train something different from rank 0 (their errors name the difference); the run cannot start.");
    }

    private static string? FirstDifference(string reference, string mine)
    {
        string[] theirs = reference.Split('\n'), ours = mine.Split('\n');
        for (int i = 0; i < Math.Max(theirs.Length, ours.Length); i++)
        {
            string a = i < theirs.Length ? theirs[i] : "", b = i < ours.Length ? ours[i] : "";
            if (a != b) return $"rank 0 has '{a}', this process has '{b}'";
        }
        return null;
    }
}
