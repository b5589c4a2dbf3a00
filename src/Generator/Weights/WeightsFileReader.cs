using System;
using System.IO;
using System.Threading;
using CompiledNets.Generator.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator.Weights;

/// <summary>
/// Picks the additional files that carry <c>CompiledNetsNetwork</c> item metadata and reads them. Never throws.
/// </summary>
internal static class WeightsFileReader
{
    /// <summary>The item metadata, as the build passes it (needs <c>CompilerVisibleItemMetadata</c>).</summary>
    public const string NetworkMetadata = "build_metadata.AdditionalFiles.CompiledNetsNetwork";

    public static WeightsFile? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        if (!options.TryGetValue(NetworkMetadata, out string? network) || string.IsNullOrWhiteSpace(network)) return null;
        network = network.Trim();
        byte[] bytes;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            bytes = ReadBytes(file.Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new WeightsFile(file.Path, network, $"it cannot be read ({exception.Message})",
                EquatableArray<WeightsTensor>.Empty, EquatableArray<byte>.Empty);
        }

        try
        {
            return SafetensorsParser.Parse(file.Path, network, bytes);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new WeightsFile(file.Path, network, $"it could not be parsed ({exception.GetType().Name}: {exception.Message})",
                EquatableArray<WeightsTensor>.Empty, EquatableArray<byte>.Empty);
        }
    }

    // AdditionalText only hands out decoded text, and the compiler refuses or mangles a binary file as text, so the
    // bytes come from the item's path. The file is still an AdditionalFiles item: the build and the IDE re-run this
    // step when it changes, and its bytes are part of the equatable model.
#pragma warning disable RS1035 // File IO in an analyzer: the only way to read a binary additional file
    private static byte[] ReadBytes(string path) => File.ReadAllBytes(path);
#pragma warning restore RS1035
}
