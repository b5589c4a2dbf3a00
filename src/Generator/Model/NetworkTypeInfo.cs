namespace CompiledNets.Generator.Model;

/// <summary>Where the generated partial declaration goes.</summary>
/// <param name="Namespace">Containing namespace, empty for the global namespace.</param>
/// <param name="Name">The class name as C# source spells it (a keyword escaped: <c>@class</c>).</param>
/// <param name="FullName">Namespace-qualified name, used as the network's stored name.</param>
/// <param name="MetadataName">Fully qualified metadata name, used for the generated file name.</param>
/// <param name="IsRecord">True for <c>partial record</c> declarations.</param>
/// <param name="HasUserConstructor">The user declared a parameterless or (int) constructor: do not emit ours.</param>
internal sealed record NetworkTypeInfo(
    string Namespace,
    string Name,
    string FullName,
    string MetadataName,
    bool IsRecord,
    bool HasUserConstructor);
