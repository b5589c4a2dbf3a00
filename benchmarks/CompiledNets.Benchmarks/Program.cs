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
            return PairedRun.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
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
