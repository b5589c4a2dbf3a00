using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CompiledNets.Generator.Analyzers;

/// <summary>
/// Warns where a network with a Step or Sign activation is handed to the trainer: the generator already
/// warns on the layer, but the mistake that costs hours is training it and watching the loss not move.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ZeroGradientTrainerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.TrainerOfZeroGradientNetwork);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? trainer = start.Compilation.GetTypeByMetadataName(KnownNames.Trainer);
            if (trainer is null) return;
            start.RegisterOperationAction(operation => Analyze(operation, trainer), OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol trainer)
    {
        if (context.Operation is not IObjectCreationOperation { Type: INamedTypeSymbol created } creation) return;
        if (!SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, trainer) || created.TypeArguments.Length != 1) return;
        if (created.TypeArguments[0] is not INamedTypeSymbol network) return;

        // The layers' own reader says where each attribute keeps its activation (a Conv2D's second argument is its
        // kernel size, a PositionBias's first is the activation): no second guess of the argument positions here.
        foreach (AttributeData attribute in network.GetAttributes().Concat(network.GetMembers().SelectMany(m => m.GetAttributes())))
        {
            if (LayerAttributeReader.KindOf(attribute) is not Model.LayerKind kind) continue;
            if (LayerAttributeReader.Read(attribute, kind, 0) is not { } layer) continue;
            if (ActivationCatalog.Find(layer.ActivationValue) is { HasZeroGradient: true } activation)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TrainerOfZeroGradientNetwork,
                    creation.Syntax.GetLocation(), network.Name, activation.Kind));
                return;
            }
        }
    }
}
