using System;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Weights;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

/// <summary>
/// Weights compiled into the binary (opt-in): an additional file with item metadata
/// <c>CompiledNetsNetwork="Namespace.Class"</c> is read as safetensors, checked against that network's plan and
/// emitted as read-only data plus a <c>FromEmbeddedWeights()</c> factory, in its own file.
/// </summary>
public sealed partial class NetworkGenerator
{
    private static void RegisterEmbeddedWeights(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<KernelPlan> plans,
        IncrementalValueProvider<HintNames> hintNames)
    {
        // A separate branch: reading a file depends only on that file and its metadata, never on the networks.
        IncrementalValuesProvider<WeightsFile> files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) =>
                WeightsFileReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(TrackingNames.WeightsFile);

        // Joined by network name: each plan looks up its file; the result is equatable, so a network whose plan and
        // file are unchanged is not re-emitted when another file changes.
        IncrementalValuesProvider<EmbeddedWeights> embedded = plans
            .Combine(files.Collect())
            .Select(static (pair, _) => EmbeddedWeightsMatcher.Match(pair.Left, pair.Right))
            .Where(static weights => weights is not null)
            .Select(static (weights, _) => weights!)
            .WithTrackingName(TrackingNames.EmbeddedWeights);

        context.RegisterSourceOutput(
            embedded.Select(static (weights, _) => weights.Diagnostics),
            static (output, diagnostics) =>
            {
                foreach (DiagnosticInfo diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

        IncrementalValuesProvider<EmbeddedWeights> valid = embedded
            .Where(static weights => weights.Diagnostics.IsEmpty && !weights.Bytes.IsEmpty)
            .Select(static (weights, _) => weights with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty });
        context.RegisterSourceOutput(valid.Combine(hintNames), static (output, pair) =>
        {
            EmbeddedWeights weights = pair.Left;
            try
            {
                output.AddSource(pair.Right.For(weights.Type.MetadataName, ".Weights.g.cs"), WeightsEmitter.Emit(weights));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(NetworkCompiler.InternalError(weights.Type.Name, null, exception).ToDiagnostic());
            }
        });

        // A weights file that names no declared network (a typo, a renamed class) is an error rather than silently
        // producing a binary without weights.
        IncrementalValueProvider<ImmutableArray<string>> declared = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.NetworkAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, _) => context.TargetSymbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat))
            .Collect();
        context.RegisterSourceOutput(files.Combine(declared), static (output, pair) =>
        {
            WeightsFile file = pair.Left;
            bool known = pair.Right.Any(fullName =>
                EmbeddedWeightsMatcher.IsFor(file, fullName, fullName.Substring(fullName.LastIndexOf('.') + 1)));
            if (known) return;
            string names = pair.Right.IsEmpty ? "none" : string.Join(", ", pair.Right.OrderBy(n => n, StringComparer.Ordinal));
            output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddedWeightsUnmatched, EmbeddedWeightsMatcher.At(file),
                file.FileName,
                $"CompiledNetsNetwork=\"{file.Network}\" names no [Network] class in this project (declared: {names}); set it to the network's full name").ToDiagnostic());
        });
    }
}
