namespace CompiledNets;

/// <summary>Where a dense layer's weight W [units, inputs] sits in a network's parameter buffer (generated code passes these).</summary>
/// <param name="Offset">Start of W in the parameter buffer, in floats.</param>
/// <param name="Units">W's rows: the layer's outputs.</param>
/// <param name="Inputs">W's columns: the layer's inputs.</param>
public readonly record struct DenseWeightLayout(int Offset, int Units, int Inputs);
