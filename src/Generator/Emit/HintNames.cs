using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Names of the generated files. Roslyn accepts only <c>[A-Za-z0-9_.,+-]</c>-like characters in a hint name and
/// compares hint names ignoring case, so a network's metadata name cannot be used as is: <c>@event.Net</c> and a
/// file-local type's <c>&lt;File&gt;F…__Net</c> hold characters it rejects, and <c>Cases.Net</c> and <c>Cases.NET</c>
/// (or namespaces <c>Models</c> and <c>models</c>) would collide and make the generator lose every network's code.
/// An ordinary name stays as it is (<c>Samples.Mlp.g.cs</c>); a name that had to be sanitized, or that collides
/// with another network's ignoring case, gets a hash of its exact metadata name appended.
/// </summary>
/// <param name="Colliding">Upper-cased base names that more than one network shares (usually empty, so the value
/// stays equal as networks come and go and no output is re-emitted for it).</param>
internal sealed record HintNames(EquatableArray<string> Colliding)
{
    public static HintNames From(IEnumerable<string> metadataNames)
    {
        string[] colliding = metadataNames
            .Distinct(StringComparer.Ordinal)
            .GroupBy(name => BaseName(name).ToUpperInvariant(), StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToArray();
        return new HintNames(colliding.ToEquatableArray());
    }

    /// <summary>The hint name of a network's file, e.g. <c>For("Samples.Mlp", ".g.cs")</c> is <c>Samples.Mlp.g.cs</c>.</summary>
    public string For(string metadataName, string suffix)
    {
        string name = BaseName(metadataName);
        if (Colliding.Contains(name.ToUpperInvariant())) name += "." + Hash(metadataName);
        return name + suffix;
    }

    /// <summary>The metadata name with unsafe characters replaced, plus a hash when any was.</summary>
    private static string BaseName(string metadataName)
    {
        var safe = new StringBuilder(metadataName.Length);
        foreach (char c in metadataName)
            safe.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '-' or '+' ? c : '_');
        string result = safe.ToString();
        return result == metadataName ? result : result + "." + Hash(metadataName);
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes and platforms, unlike string.GetHashCode.</summary>
    private static string Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return hash.ToString("x8");
    }
}
