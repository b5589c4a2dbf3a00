using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CompiledNets.Generator.Model;

/// <summary>
/// A source location as plain data: a <see cref="Location"/> holds its syntax tree (and so the whole
/// compilation) alive and is not comparable across runs, so models keep this and rebuild it when reporting.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null) return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxReference? reference) =>
        reference is null ? null : From(reference.SyntaxTree.GetLocation(reference.Span));
}
