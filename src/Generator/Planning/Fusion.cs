using System;

namespace CompiledNets.Generator.Planning;

/// <summary>What runs in the epilogue of a layer's forward multiply instead of as a separate pass.</summary>
[Flags]
internal enum ForwardFusion
{
    None = 0,
    /// <summary>z += b.</summary>
    Bias = 1,
    /// <summary>y = f(z), element-wise, per output tile.</summary>
    Activation = 2,
    /// <summary>y = softmax(z), which needs whole rows: the epilogue runs once a row is complete.</summary>
    RowWiseSoftmax = 4,
    /// <summary>z and y share one buffer (Identity, or inference where nothing reads z again).</summary>
    InPlace = 8,
}
