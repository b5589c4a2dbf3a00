using System;

namespace CompiledNets.Generator.Helpers;

/// <summary>
/// The generator's version, read from its own assembly: the one version of the repository (Version in
/// Directory.Build.props) stamps the generator, the runtime and the packages alike, so nothing repeats it here.
/// </summary>
internal static class GeneratorVersion
{
    /// <summary>The assembly version (major.minor.build.revision), as compared with the referenced runtime's.</summary>
    public static readonly Version Assembly = typeof(GeneratorVersion).Assembly.GetName().Version ?? new Version(0, 0, 0, 0);

    /// <summary>major.minor.patch, as written into [GeneratedCode] and diagnostics.</summary>
    public static readonly string Text = Assembly.ToString(3);
}
