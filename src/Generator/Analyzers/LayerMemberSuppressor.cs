using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator.Analyzers;

/// <summary>
/// A network's layer members (<c>[Dense(64)] Layer hidden;</c>) are declarations the generator reads: nothing assigns
/// or calls them, by design. Without this suppressor the compiler would warn that each is never assigned (CS0649) and,
/// in a nullable context, that it is null when a constructor exits (CS8618), and with warnings as errors the network
/// would not build. Only those two warnings, only on Layer-typed members with a layer attribute, are suppressed.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class LayerMemberSuppressor : DiagnosticSuppressor
{
    private static readonly SuppressionDescriptor NeverAssigned = new("CNS0649", "CS0649",
        "A network's layer member is read by the CompiledNets generator, never assigned or called");

    private static readonly SuppressionDescriptor NullAtConstructorExit = new("CNS8618", "CS8618",
        "A network's layer member is read by the CompiledNets generator, never assigned or called");

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } =
        ImmutableArray.Create(NeverAssigned, NullAtConstructorExit);

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        INamedTypeSymbol? layerType = context.Compilation.GetTypeByMetadataName(KnownNames.Layer);
        if (layerType is null) return;
        foreach (Diagnostic diagnostic in context.ReportedDiagnostics)
        {
            if (diagnostic.Location.SourceTree is not SyntaxTree tree) continue;
            SyntaxNode node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SemanticModel model = context.GetSemanticModel(tree);
            ISymbol? declared = model.GetDeclaredSymbol(node, context.CancellationToken);
            if (declared is not null && IsLayerMember(declared, layerType))
            {
                context.ReportSuppression(Suppression.Create(diagnostic.Id == "CS0649" ? NeverAssigned : NullAtConstructorExit, diagnostic));
                continue;
            }
            // CS8618 on a constructor names the member in its message.
            if (diagnostic.Id != "CS8618" || declared is not IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: INamedTypeSymbol type }) continue;
            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            ISymbol[] members = type.GetMembers().Where(m => IsLayerMember(m, layerType)).ToArray();
            if (members.Length > 0 && members.Any(m => message.Contains("'" + m.Name + "'")) &&
                !type.GetMembers().Any(m => !IsLayerMember(m, layerType) && m is IFieldSymbol or IPropertySymbol && message.Contains("'" + m.Name + "'")))
                context.ReportSuppression(Suppression.Create(NullAtConstructorExit, diagnostic));
        }
    }

    private static bool IsLayerMember(ISymbol symbol, INamedTypeSymbol layerType)
    {
        ITypeSymbol? type = symbol switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        return type is not null
            && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), layerType)
            && symbol.GetAttributes().Any(a => LayerAttributeReader.KindOf(a) is not null)
            && symbol.ContainingType?.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.NetworkAttribute) == true;
    }
}
