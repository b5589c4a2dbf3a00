using System.Text;

namespace CompiledNets.Generator.Graph;

/// <summary>Source expressions as generated comments quote them: on one line, and short.</summary>
internal static class SourceText
{
    private const int MaxLength = 60;

    /// <summary>Whitespace runs become one space; past <see cref="MaxLength"/> characters the text ends in "...".</summary>
    public static string Shorten(string text)
    {
        var line = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = line.Length > 0;
                continue;
            }
            if (space) line.Append(' ');
            space = false;
            line.Append(c);
        }
        return line.Length <= MaxLength ? line.ToString() : line.ToString(0, MaxLength - 3) + "...";
    }
}
