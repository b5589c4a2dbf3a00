namespace CompiledNets.Tests.Hardening;

/// <summary>
/// The hostile campaign's figures (issue 15): each campaign test records how many cases it tried and how many ended
/// in a clear error (or, for declarations, in compiling code or a CN diagnostic). They are written only when
/// <c>CAMPAIGN_FIGURES_FILE</c> names a file, which <c>tests/campaign-table.sh</c> sets to regenerate README's table.
/// </summary>
internal static class CampaignFigures
{
    private static readonly object s_lock = new();

    public static void Record(string campaign, int tried, int clear)
    {
        string? file = Environment.GetEnvironmentVariable("CAMPAIGN_FIGURES_FILE");
        if (string.IsNullOrEmpty(file)) return;
        lock (s_lock) File.AppendAllText(file, $"{campaign}\t{tried}\t{clear}\t{tried - clear}\n");
    }
}
