using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// One node of the fused graph as the emitters see it: what it computes, which nodes it reads (-1: the network
/// input), its output shape, and its parameter layer (an index into the plan's list for its op kind; -1 none). The
/// layer metadata (and through it the ONNX exporter) and the GPU emitter walk these.
/// </summary>
/// <param name="InputShapes">The shapes of all inputs (<paramref name="Input"/> is the first's).</param>
/// <param name="ParameterLayer">The index of its parameter layer among all layers with parameters (the
/// <see cref="ParameterTensorPlan.Layer"/> of its tensors), or -1.</param>
internal sealed record NodePlan(
    int Id,
    OpKind Op,
    EquatableArray<int> Inputs,
    EquatableArray<SampleShapePlan> InputShapes,
    SampleShapePlan Input,
    SampleShapePlan Output,
    int SourceLayerNumber,
    Activation Activation,
    int LayerIndex,
    float DropoutRate,
    PoolGeometry? Pool,
    int ParameterLayer = -1);
