using System.Collections.Immutable;
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

        foreach (AttributeData attribute in network.GetAttributes())
        {
            if (LayerAttributeReader.KindOf(attribute) is null or Model.LayerKind.Dropout) continue;
            if (attribute.ConstructorArguments.Length < 2 || attribute.ConstructorArguments[1].Value is not int value) continue;
            if (ActivationCatalog.Find(value) is { HasZeroGradient: true } activation)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TrainerOfZeroGradientNetwork,
                    creation.Syntax.GetLocation(), network.Name, activation.Kind));
                return;
            }
        }
    }
}
