using System;
using System.Text;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Writes C# with indentation tracked for the caller: <c>using (writer.WriteBlock())</c> opens a brace and
/// closes it (and the indent) at the end of the using, so emitters never count spaces.
/// </summary>
internal sealed class IndentedTextWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < _depth; i++) _builder.Append(IndentUnit);
            _builder.Append(line);
        }
        _builder.Append('\n');
    }

    /// <summary>Writes each line of a multi-line string at the current indentation.</summary>
    public void WriteLines(string text)
    {
        foreach (string line in text.Split('\n')) WriteLine(line.TrimEnd('\r'));
    }

    public Block WriteBlock(string? trailer = null)
    {
        WriteLine("{");
        _depth++;
        return new Block(this, trailer);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter _writer;
        private readonly string? _trailer;

        public Block(IndentedTextWriter writer, string? trailer)
        {
            _writer = writer;
            _trailer = trailer;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.WriteLine("}" + _trailer);
        }
    }
}
