using System.Diagnostics;
using System.Globalization;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A load-robust cross-check of BenchmarkDotNet's ratios for a shared, noisy machine (<c>-- --paired</c>): the
/// libraries of each workload run interleaved, round after round, on the same setups as the BenchmarkDotNet classes,
/// and each keeps its <b>minimum</b> time per call. Other processes only ever add time, so the minimum of many
/// short calls approaches the unloaded time, and interleaving exposes every library to the same load.
/// Not a replacement for BenchmarkDotNet's statistics; a way to read ratios when the load average is above the core count.
/// </summary>
internal static class PairedRun
{
    private sealed record Workload(string Name, int Threads, double Flops, int SamplesPerCall, (string Library, Action Call)[] Calls);

    /// <summary>
    /// Runs every workload whose name contains one of <paramref name="filters"/> (case-insensitive; none: all), e.g.
    /// <c>--paired 5 --paired-filter CNN,AlphaGo</c>. Only the selected workloads are set up.
    /// </summary>
    public static int Run(int rounds, IReadOnlyList<string> filters)
    {
        var workloads = new List<Workload>();
        var cleanups = new List<Action>();
        bool Selected(string name) => filters.Count == 0 || filters.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase));
        foreach (int threads in new[] { 1, 2 })
        {
            if (Selected("FMA peak (Vector512 loop)"))
            {
                var fma = new FmaPeakBenchmarks { Threads = threads };
                workloads.Add(new Workload("FMA peak (Vector512 loop)", threads, 2.0 * FmaPeakBenchmarks.Lanes * 16 * (1 << 16) * threads, 0,
                    [("FmaPeak", () => fma.FmaPeak())]));
            }

            foreach (string shape in new[] { "2048x2048x2048", "512x512x512", "64x784x256", "256x784x256" })
            {
                if (!Selected("SGEMM " + shape)) continue;
                var ours = new GemmBenchmarks { Shape = shape, Threads = threads };
                var torch = new GemmBenchmarks { Shape = shape, Threads = threads };
                ours.SetupCompiledNets();
                torch.SetupTorchSharp();
                cleanups.Add(ours.Cleanup);
                cleanups.Add(torch.Cleanup);
                double[] size = shape.Split('x').Select(double.Parse).ToArray();
                workloads.Add(new Workload("SGEMM " + shape, threads, 2 * size[0] * size[1] * size[2], 0,
                    [("CompiledNets", () => ours.CompiledNets()), ("TorchSharp", torch.TorchSharp)]));
            }

            foreach (int batch in new[] { 1, 256 })
            {
                if (!Selected($"MLP inference, batch {batch}")) continue;
                var ours = new MlpInferenceBenchmarks { BatchSize = batch, Threads = threads };
                var packed = new MlpInferenceBenchmarks { BatchSize = batch, Threads = threads };
                var int8 = new MlpInferenceBenchmarks { BatchSize = batch, Threads = threads };
                var ort = new MlpInferenceBenchmarks { BatchSize = batch, Threads = threads };
                var torch = new MlpInferenceBenchmarks { BatchSize = batch, Threads = threads };
                ours.SetupCompiledNets();
                packed.SetupCompiledNetsPackedWeights();
                int8.SetupCompiledNetsInt8();
                ort.SetupOnnxRuntime();
                torch.SetupTorchSharp();
                cleanups.AddRange([ours.Cleanup, packed.Cleanup, int8.Cleanup, ort.Cleanup, torch.Cleanup]);
                workloads.Add(new Workload($"MLP inference, batch {batch}", threads, 0, batch,
                    [("CompiledNets", () => ours.CompiledNets()), ("CompiledNets packed weights", () => packed.CompiledNetsPackedWeights()),
                     ("CompiledNets int8", () => int8.CompiledNetsInt8()),
                     ("OnnxRuntime", () => ort.OnnxRuntime()), ("TorchSharp", () => torch.TorchSharp())]));
            }

            if (threads == 1 && Selected("MLP Predict, batch 1, FiniteInputs check"))
            {
                // The check is serial: one thread only. Rows: on (the default), off (the opt-out), the check alone.
                var finite = new FiniteInputsBenchmarks();
                finite.Setup();
                cleanups.Add(finite.Cleanup);
                workloads.Add(new Workload("MLP Predict, batch 1, FiniteInputs check", threads, 0, 1,
                    [("Predict, check on", () => finite.PredictChecked()), ("Predict, check off", () => finite.PredictUnchecked()),
                     ("check alone (784 floats)", () => finite.CheckAlone())]));
            }

            foreach (string optimizer in new[] { "SgdMomentum", "Adam" })
            {
                if (!Selected($"MLP training step, batch 64, {optimizer}")) continue;
                var ours = new MlpTrainStepBenchmarks { Optimizer = optimizer, Threads = threads };
                var torch = new MlpTrainStepBenchmarks { Optimizer = optimizer, Threads = threads };
                ours.SetupCompiledNets();
                torch.SetupTorchSharp();
                cleanups.AddRange([ours.Cleanup, torch.Cleanup]);
                workloads.Add(new Workload($"MLP training step, batch 64, {optimizer}", threads, 0, 64,
                    [("CompiledNets", () => ours.CompiledNets()), ("TorchSharp", () => torch.TorchSharp())]));
            }

            foreach (int batch in new[] { 1, 256 })
            {
                string name = $"CNN inference, batch {batch}";
                if (Selected(name)) workloads.Add(Inference(name, threads, batch, () => new CnnInferenceBenchmarks { BatchSize = batch, Threads = threads }, cleanups));
            }

            foreach (string optimizer in new[] { "SgdMomentum", "Adam" })
            {
                if (!Selected($"CNN training step, batch 64, {optimizer}")) continue;
                var ours = new CnnTrainStepBenchmarks { Optimizer = optimizer, Threads = threads };
                var torch = new CnnTrainStepBenchmarks { Optimizer = optimizer, Threads = threads };
                ours.SetupCompiledNets();
                torch.SetupTorchSharp();
                cleanups.AddRange([ours.Cleanup, torch.Cleanup]);
                workloads.Add(new Workload($"CNN training step, batch 64, {optimizer}", threads, 0, 64,
                    [("CompiledNets", () => ours.CompiledNets()), ("TorchSharp", () => torch.TorchSharp())]));
            }

            if (Selected("AlphaGo policy inference, batch 1"))
                workloads.Add(Inference("AlphaGo policy inference, batch 1", threads, 1, () => new AlphaGoPolicyBenchmarks { Threads = threads }, cleanups));
        }
        if (workloads.Count == 0)
        {
            Console.Error.WriteLine($"No paired workload matches {string.Join(", ", filters)}.");
            return 1;
        }

        Console.WriteLine($"Paired run: {rounds} interleaved rounds, minimum time per call; load before: {LoadAverage()}");
        var best = workloads.Select(w => w.Calls.Select(_ => double.MaxValue).ToArray()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int w = 0; w < workloads.Count; w++)
            {
                for (int l = 0; l < workloads[w].Calls.Length; l++)
                {
                    Action call = workloads[w].Calls[l].Call;
                    // Threads are process-wide in every library: re-apply this workload's count before its calls.
                    Apply(workloads[w].Threads);
                    call();
                    long budget = Stopwatch.Frequency / 50; // ~20 ms of calls per library per round
                    long start = Stopwatch.GetTimestamp();
                    do
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        call();
                        double microseconds = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                        if (microseconds < best[w][l]) best[w][l] = microseconds;
                    }
                    while (Stopwatch.GetTimestamp() - start < budget);
                }
            }
        }
        Console.WriteLine($"Load after: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| workload | threads | library | min time per call | throughput | peer / CompiledNets |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (int w = 0; w < workloads.Count; w++)
        {
            Workload workload = workloads[w];
            for (int l = 0; l < workload.Calls.Length; l++)
            {
                double us = best[w][l];
                string throughput = workload.Flops > 0 ? $"{workload.Flops / us / 1000:F1} GFLOP/s"
                    : workload.SamplesPerCall > 1 ? $"{workload.SamplesPerCall / us * 1e6:N0} samples/s" : "";
                string ratio = l == 0 || workload.Calls.Length == 1 ? "" : (us / best[w][0]).ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine($"| {workload.Name} | {workload.Threads} | {workload.Calls[l].Library} | {us:F1} us | {throughput} | {ratio} |");
            }
        }
        foreach (Action cleanup in cleanups) cleanup();
        return 0;
    }

    /// <summary>One setup per library (each peer's setup checks its outputs against ours).</summary>
    private static Workload Inference<TNetwork>(string name, int threads, int batch, Func<PeerInferenceBenchmarks<TNetwork>> create, List<Action> cleanups)
        where TNetwork : class, IDescribedNetwork
    {
        PeerInferenceBenchmarks<TNetwork> ours = create(), ort = create(), torch = create();
        ours.SetupCompiledNets();
        ort.SetupOnnxRuntime();
        torch.SetupTorchSharp();
        cleanups.AddRange([ours.Cleanup, ort.Cleanup, torch.Cleanup]);
        return new Workload(name, threads, 0, batch,
            [("CompiledNets", () => ours.CompiledNets()), ("OnnxRuntime", () => ort.OnnxRuntime()), ("TorchSharp", () => torch.TorchSharp())]);
    }

    private static void Apply(int threads)
    {
        Kernels.KernelSettings.MaxThreads = threads;
        Peers.SetTorchThreads(threads);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
