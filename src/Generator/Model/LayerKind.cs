namespace CompiledNets.Generator.Model;

/// <summary>The layer attributes the generator understands.</summary>
internal enum LayerKind
{
    Dense,
    Dropout,
    Output,
}
