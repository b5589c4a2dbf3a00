using BenchmarkDotNet.Running;

namespace CompiledNets.Benchmarks;

public static class Program
{
    /// <summary>
    /// Runs the selected benchmarks and fails (exit 1) when none ran or any threw: BenchmarkDotNet itself exits 0
    /// in both cases, which would let a broken benchmark pass CI's smoke run.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--paired")
        {
            // --paired [rounds] [--paired-filter name,name]: interleaved minimum times (PairedRun.cs).
            int rounds = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal)
                ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
            int filterAt = Array.IndexOf(args, "--paired-filter");
            if (filterAt >= 0 && filterAt + 1 >= args.Length)
            {
                Console.Error.WriteLine("--paired-filter needs a comma-separated list of workload name parts, e.g. --paired-filter CNN,AlphaGo");
                return 1;
            }
            string[] filters = filterAt >= 0 ? args[filterAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            return PairedRun.Run(rounds, filters);
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToArray();
        int reports = summaries.Sum(s => s.Reports.Length);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        if (reports == 0)
        {
            Console.Error.WriteLine("No benchmark ran: check the --filter.");
            return 1;
        }
        if (failed)
        {
            Console.Error.WriteLine("A benchmark failed.");
            return 1;
        }
        return 0;
    }
}
