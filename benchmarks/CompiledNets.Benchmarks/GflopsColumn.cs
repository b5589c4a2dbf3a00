using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CompiledNets.Benchmarks;

/// <summary>Floating-point work of one benchmark invocation, for the GFLOP/s column.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations of one operation of the benchmark with these parameters.</summary>
    static abstract double Flops(BenchmarkCase benchmark);
}

/// <summary>A "GFLOP/s" column: the benchmark's <see cref="IFlopCount"/> over its mean time per operation.</summary>
public sealed class GflopsColumn<T> : IColumn where T : IFlopCount
{
    public string Id => "GFLOPS";
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Billions of float operations per second (2 per multiply-add), from the mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanoseconds is > 0 ? (T.Flops(benchmarkCase) / nanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
