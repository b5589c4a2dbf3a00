using System;
using System.Threading;
using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

/// <summary>Compiles [Network]-attributed partial classes into fused forward/backward code.</summary>
/// <remarks>
/// Pipeline: [Network] class -> <see cref="NetworkInfo"/> (parse) -> checks + <see cref="KernelPlan"/>
/// (compile) -> C# (emit). Diagnostics and code leave through separate outputs, so a diagnostic that
/// changes (a moved line) never re-emits code, and each network is its own output.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        public const string Parse = "CompiledNets.Parse";
        public const string Compile = "CompiledNets.Compile";
        public const string Plan = "CompiledNets.Plan";
        public const string WeightsFile = "CompiledNets.WeightsFile";
        public const string EmbeddedWeights = "CompiledNets.EmbeddedWeights";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<CompileResult> compiled = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.NetworkAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => SafeParse(context, cancellationToken))
            .Where(static result => result is not null)
            .Select(static (result, _) => result!)
            .WithTrackingName(TrackingNames.Parse)
            .Select(static (parsed, _) => NetworkCompiler.Compile(parsed))
            .WithTrackingName(TrackingNames.Compile);

        context.RegisterSourceOutput(
            compiled.Select(static (result, _) => result.Diagnostics),
            static (output, diagnostics) =>
            {
                foreach (DiagnosticInfo diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

        IncrementalValuesProvider<KernelPlan> plans = compiled
            .Where(static result => result.Plan is not null)
            .Select(static (result, _) => result.Plan!)
            .WithTrackingName(TrackingNames.Plan);

        RegisterEmbeddedWeights(context, plans);

        context.RegisterSourceOutput(plans, static (output, plan) =>
        {
            try
            {
                output.AddSource(CpuEmitter.HintName(plan), CpuEmitter.Emit(plan));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(NetworkCompiler.InternalError(plan.Type.Name, null, exception).ToDiagnostic());
            }
        });

        RegisterGpuOutput(context, plans, compiled);
    }

    private static ParseResult? SafeParse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return NetworkParser.Parse(context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LocationInfo? location = context.TargetNode is TypeDeclarationSyntax declaration
                ? LocationInfo.From(declaration.Identifier.GetLocation())
                : null;
            DiagnosticInfo error = NetworkCompiler.InternalError(context.TargetSymbol.Name, location, exception);
            return new ParseResult(null, new[] { error }.ToEquatableArray());
        }
    }
}
