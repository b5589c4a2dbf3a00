using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Reads the body of a Forward method, statement by statement, into tensor expressions: locals (declared and
/// reassigned, also with <c>+=</c>, <c>-=</c>, <c>*=</c>), calls of layer members, <c>+ - *</c> between tensors, the
/// <c>Ops</c> functions and one final <c>return</c>. The method is straight-line code over symbolic values, so each
/// local simply names the expression it was last assigned. Every other construct is a CN0040 located on it; after
/// the first error in an expression the rest of that expression is skipped, so one mistake gives one diagnostic.
/// </summary>
internal sealed class ForwardBodyReader
{
    private const int Invalid = -1;
    private readonly SemanticModel _model;
    private readonly string _network;
    private readonly List<ISymbol> _members;
    private readonly INamedTypeSymbol _tensor;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ISymbol, int> _values = new(SymbolEqualityComparer.Default);
    private bool _failed;

    public ForwardBodyReader(SemanticModel model, string network, IParameterSymbol input, List<ISymbol> members, INamedTypeSymbol tensor,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _model = model;
        _network = network;
        _members = members;
        _tensor = tensor;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
        Expressions.Add(new ForwardExpression(0, ForwardOp.Input, EquatableArray<int>.Empty, -1, 0, LocationInfo.From(input.Locations.FirstOrDefault()), input.Name));
        _values[input] = 0;
    }

    public List<ForwardExpression> Expressions { get; } = new();

    /// <summary>The expression Forward returns, or -1 when something could not be read (each problem reported).</summary>
    public int Read(MethodDeclarationSyntax method)
    {
        int output = Invalid;
        if (method.ExpressionBody is not null)
        {
            output = Expression(method.ExpressionBody.Expression);
        }
        else
        {
            StatementSyntax? returned = null;
            foreach (StatementSyntax statement in method.Body!.Statements)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (returned is not null)
                {
                    Unsupported(statement, "a statement after the return", "return the result last and remove what follows");
                    break;
                }
                if (statement is ReturnStatementSyntax { Expression: not null } ret)
                {
                    returned = statement;
                    output = Expression(ret.Expression);
                }
                else
                {
                    Statement(statement);
                }
            }
            if (returned is null && !_failed)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardMethodInvalid,
                    LocationInfo.From(method.Identifier.GetLocation()), _network, "has a Forward method that never returns a tensor"));
                _failed = true;
            }
        }
        return _failed ? Invalid : output;
    }

    private void Statement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0 } local when !local.IsConst:
                foreach (VariableDeclaratorSyntax variable in local.Declaration.Variables)
                {
                    if (variable.Initializer is null)
                    {
                        Unsupported(variable, "a local without a value", "declare each tensor where it is computed: var h = layer(x);");
                        continue;
                    }
                    ISymbol? symbol = _model.GetDeclaredSymbol(variable, _cancellationToken);
                    if (symbol is not ILocalSymbol declared || !IsTensor(declared.Type))
                    {
                        Unsupported(variable, "a local that is not a Tensor", "a Forward method computes tensors only; move other values out of it");
                        continue;
                    }
                    int value = Expression(variable.Initializer.Value);
                    if (value != Invalid) _values[declared] = value;
                }
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                Assignment(assignment);
                break;
            case EmptyStatementSyntax:
                break;
            default:
                Unsupported(statement, Describe(statement), "a Forward method is straight-line code: locals, layer calls, + - *, Ops functions and one return");
                break;
        }
    }

    private void Assignment(AssignmentExpressionSyntax assignment)
    {
        ISymbol? target = _model.GetSymbolInfo(assignment.Left, _cancellationToken).Symbol;
        if (assignment.Left is not IdentifierNameSyntax || target is not (ILocalSymbol or IParameterSymbol) || !_values.ContainsKey(target) && target is IParameterSymbol)
        {
            Unsupported(assignment.Left, "an assignment to something other than a tensor local", "assign only to locals of the Forward method");
            return;
        }
        if (!IsTensor(target is ILocalSymbol l ? l.Type : ((IParameterSymbol)target).Type))
        {
            Unsupported(assignment.Left, "a local that is not a Tensor", "a Forward method computes tensors only");
            return;
        }
        int value;
        switch (assignment.Kind())
        {
            case SyntaxKind.SimpleAssignmentExpression:
                value = Expression(assignment.Right);
                break;
            case SyntaxKind.AddAssignmentExpression:
            case SyntaxKind.SubtractAssignmentExpression:
            case SyntaxKind.MultiplyAssignmentExpression:
                value = Binary(assignment, assignment.Left, assignment.Right, assignment.Kind() switch
                {
                    SyntaxKind.AddAssignmentExpression => ForwardOp.Add,
                    SyntaxKind.SubtractAssignmentExpression => ForwardOp.Subtract,
                    _ => ForwardOp.Multiply,
                });
                break;
            default:
                Unsupported(assignment, $"a '{assignment.OperatorToken.Text}' assignment", "use =, +=, -= or *= between tensors");
                return;
        }
        if (value != Invalid) _values[target] = value;
    }

    private int Expression(ExpressionSyntax expression)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Expression(parenthesized.Expression);
            case IdentifierNameSyntax identifier:
                return Name(identifier);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                return Binary(binary, binary.Left, binary.Right, ForwardOp.Add);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.SubtractExpression):
                return Binary(binary, binary.Left, binary.Right, ForwardOp.Subtract);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.MultiplyExpression):
                return Binary(binary, binary.Left, binary.Right, ForwardOp.Multiply);
            case InvocationExpressionSyntax invocation:
                return Invocation(invocation);
            default:
                return Unsupported(expression, Describe(expression), "a tensor here is a local, a layer call, a + b, a - b, a * b or an Ops function");
        }
    }

    private int Name(IdentifierNameSyntax identifier)
    {
        ISymbol? symbol = _model.GetSymbolInfo(identifier, _cancellationToken).Symbol;
        if (symbol is not null && _values.TryGetValue(symbol, out int value)) return value;
        if (symbol is ILocalSymbol local && IsTensor(local.Type))
            return Unsupported(identifier, "a local read before it has a value", "assign it first");
        if (symbol is not null && _members.Contains(symbol, SymbolEqualityComparer.Default))
            return Unsupported(identifier, "a layer used without a call", $"call it on a tensor: {identifier.Identifier.Text}(x)");
        return Unsupported(identifier, symbol is null ? "an unknown name" : $"a {Kind(symbol)} that is not a tensor of this method",
            "a Forward method reads only its parameter, its tensor locals and its layer members");
    }

    private int Binary(ExpressionSyntax whole, ExpressionSyntax left, ExpressionSyntax right, ForwardOp op)
    {
        if (!IsTensor(_model.GetTypeInfo(left, _cancellationToken).Type) || !IsTensor(_model.GetTypeInfo(right, _cancellationToken).Type))
        {
            ExpressionSyntax offending = IsTensor(_model.GetTypeInfo(left, _cancellationToken).Type) ? right : left;
            return Unsupported(offending, Describe(offending) + " where a tensor is needed", "+, - and * combine two tensors of one shape");
        }
        int a = Expression(left);
        if (a == Invalid) return Invalid;
        int b = Expression(right);
        if (b == Invalid) return Invalid;
        return Add(op, whole, new[] { a, b });
    }

    private int Invocation(InvocationExpressionSyntax invocation)
    {
        ISymbol? called = _model.GetSymbolInfo(invocation.Expression, _cancellationToken).Symbol;
        IMethodSymbol? method = _model.GetSymbolInfo(invocation, _cancellationToken).Symbol as IMethodSymbol;
        ArgumentSyntax[] arguments = invocation.ArgumentList.Arguments.ToArray();
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "a call with named or ref arguments", "pass tensors by position");

        // hidden(x), this.hidden(x), hidden.Invoke(x); read by the member even when the argument does not bind.
        ISymbol? receiver = called;
        if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Invoke" } access
            && (called is null or IMethodSymbol { MethodKind: MethodKind.DelegateInvoke }))
            receiver = _model.GetSymbolInfo(access.Expression, _cancellationToken).Symbol;
        int member = receiver is null ? -1 : _members.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, receiver));
        if (member >= 0 && arguments.Length == 1)
        {
            int input = Expression(arguments[0].Expression);
            return input == Invalid ? Invalid : Add(ForwardOp.Layer, invocation, new[] { input }, member: member);
        }
        if (method is not null && method.ContainingType?.ToDisplayString() == KnownNames.Ops)
            return OpsCall(invocation, method, arguments);
        string what = method is { MethodKind: MethodKind.DelegateInvoke } ? "a call of a delegate that is not a layer member"
            : method is null ? "a call the compiler cannot bind"
            : $"a call of {method.ContainingType?.Name}.{method.Name}";
        return Unsupported(invocation, what, "call declared layer members and Ops functions only (the generator reads Forward, it cannot see into other methods)");
    }

    private int OpsCall(InvocationExpressionSyntax invocation, IMethodSymbol method, ArgumentSyntax[] arguments)
    {
        if (method.Name == "Concat")
        {
            if (arguments.Length == 0 || arguments.Any(a => !IsTensor(_model.GetTypeInfo(a.Expression, _cancellationToken).Type)))
                return Unsupported(invocation, "a Concat without tensor arguments", "list the tensors: Ops.Concat(a, b)");
            var inputs = new List<int>();
            foreach (ArgumentSyntax argument in arguments)
            {
                int value = Expression(argument.Expression);
                if (value == Invalid) return Invalid;
                inputs.Add(value);
            }
            return Add(ForwardOp.Concat, invocation, inputs.ToArray());
        }
        if (arguments.Length == 0) return Unsupported(invocation, "a call without its tensor", "pass the tensor: Ops.Relu(h)");
        int activation = 0;
        if (method.Name == "Apply")
        {
            if (arguments.Length != 2 || _model.GetConstantValue(arguments[1].Expression, _cancellationToken) is not { HasValue: true, Value: int constant })
                return Unsupported(arguments.Length > 1 ? arguments[1] : invocation, "an activation that is not a constant",
                    "name it: Ops.Apply(h, Activation.Relu)");
            activation = constant;
        }
        ForwardOp op;
        switch (method.Name)
        {
            case "Flatten":
                op = ForwardOp.Flatten;
                break;
            case "GlobalAvgPool":
                op = ForwardOp.GlobalAvgPool;
                break;
            case "Apply":
                op = ForwardOp.Activation;
                break;
            default:
                if (ActivationNames.TryGetValue(method.Name, out Activation named))
                {
                    op = ForwardOp.Activation;
                    activation = (int)named;
                    break;
                }
                return Unsupported(invocation, $"a call of Ops.{method.Name}", "this version of the generator does not know it");
        }
        int input = Expression(arguments[0].Expression);
        return input == Invalid ? Invalid : Add(op, invocation, new[] { input }, activation: activation);
    }

    private static readonly Dictionary<string, Activation> ActivationNames = new()
    {
        ["Relu"] = Activation.Relu,
        ["Sigmoid"] = Activation.Sigmoid,
        ["Tanh"] = Activation.Tanh,
        ["Gelu"] = Activation.Gelu,
        ["Elu"] = Activation.Elu,
        ["LeakyRelu"] = Activation.LeakyRelu,
        ["Softplus"] = Activation.Softplus,
        ["HardSigmoid"] = Activation.HardSigmoid,
        ["Softmax"] = Activation.Softmax,
    };

    private int Add(ForwardOp op, SyntaxNode syntax, int[] inputs, int member = -1, int activation = 0)
    {
        int id = Expressions.Count;
        Expressions.Add(new ForwardExpression(id, op, inputs.ToEquatableArray(), member, activation, LocationInfo.From(syntax.GetLocation()), TextOf(syntax)));
        return id;
    }

    private int Unsupported(SyntaxNode syntax, string what, string fix)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardUnsupported, LocationInfo.From(syntax.GetLocation()),
            TextOf(syntax), _network, what, fix));
        _failed = true;
        return Invalid;
    }

    private bool IsTensor(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), _tensor);

    /// <summary>The expression's text on one line, shortened for messages.</summary>
    public static string TextOf(SyntaxNode syntax)
    {
        string text = string.Join(" ", syntax.ToString().Split(new[] { '\r', '\n', '\t', ' ' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private static string Kind(ISymbol symbol) => symbol switch
    {
        IFieldSymbol => "field",
        IPropertySymbol => "property",
        IMethodSymbol => "method",
        ILocalSymbol => "local",
        IParameterSymbol => "parameter",
        ITypeSymbol => "type",
        _ => symbol.Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A construct as a person names it: "an if statement", "a lambda", "a literal".</summary>
    private static string Describe(SyntaxNode node) => node switch
    {
        IfStatementSyntax => "an if statement",
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        SwitchStatementSyntax => "a switch statement",
        TryStatementSyntax => "a try statement",
        ThrowStatementSyntax => "a throw statement",
        ReturnStatementSyntax => "a return without a value",
        BlockSyntax => "a nested block",
        LocalFunctionStatementSyntax => "a local function",
        LocalDeclarationStatementSyntax => "a const, using or await local",
        ExpressionStatementSyntax => "an expression statement whose value is not kept",
        LiteralExpressionSyntax => "a literal",
        LambdaExpressionSyntax or AnonymousMethodExpressionSyntax => "a lambda",
        ConditionalExpressionSyntax => "a conditional expression",
        ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax => "an object creation",
        ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax => "an array",
        CastExpressionSyntax => "a cast",
        MemberAccessExpressionSyntax => "a member access",
        ElementAccessExpressionSyntax => "an indexer",
        PrefixUnaryExpressionSyntax => "a unary operator",
        BinaryExpressionSyntax binary => $"the operator '{binary.OperatorToken.Text}'",
        AssignmentExpressionSyntax => "an assignment inside an expression",
        DefaultExpressionSyntax => "a default value",
        _ => "not supported",
    };
}
