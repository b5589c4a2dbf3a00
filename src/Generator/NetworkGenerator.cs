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

        // Every output's file name depends on the other networks' names only through the (usually empty) set of
        // names that collide ignoring case, so adding a network re-emits nothing.
        IncrementalValueProvider<HintNames> hintNames = plans
            .Select(static (plan, _) => plan.Type.MetadataName)
            .Collect()
            .Select(static (names, _) => HintNames.From(names));

        RegisterEmbeddedWeights(context, plans, hintNames);

        context.RegisterSourceOutput(plans.Combine(hintNames), static (output, pair) =>
        {
            KernelPlan plan = pair.Left;
            try
            {
                output.AddSource(pair.Right.For(plan.Type.MetadataName, ".g.cs"), CpuEmitter.Emit(plan));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(NetworkCompiler.InternalError(plan.Type.Name, null, exception).ToDiagnostic());
            }
        });

        RegisterGpuOutput(context, plans, hintNames, compiled);
        RegisterLayersWithoutNetwork(context);
        RegisterRuntimeVersionCheck(context);
    }

    /// <summary>Layer attributes on a class that has no [Network]: CN0051 on each, so they are not ignored silently.</summary>
    private static void RegisterLayersWithoutNetwork(IncrementalGeneratorInitializationContext context)
    {
        foreach (string layerAttribute in LayerWithoutNetworkChecker.LayerAttributes)
        {
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    layerAttribute,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    static (context, _) => SafeCheckLayersWithoutNetwork(context))
                .Where(static diagnostics => !diagnostics.IsEmpty);
            context.RegisterSourceOutput(orphans, static (output, diagnostics) =>
            {
                foreach (DiagnosticInfo diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });
        }
    }

    private static EquatableArray<DiagnosticInfo> SafeCheckLayersWithoutNetwork(GeneratorAttributeSyntaxContext context)
    {
        try
        {
            return LayerWithoutNetworkChecker.Check(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new[] { NetworkCompiler.InternalError(context.TargetSymbol.Name, null, exception) }.ToEquatableArray();
        }
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
