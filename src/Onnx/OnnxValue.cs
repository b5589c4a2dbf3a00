namespace CompiledNets.Onnx;

/// <summary>
/// The value between two layers in the exported graph, and how ONNX's element order relates to ours. A 3-D sample
/// (<see cref="SampleShape.IsSpatial"/>) is an ONNX [batch, C, H, W] tensor whatever our memory order. A flat one is
/// [batch, features] where ONNX feature p is our feature <see cref="OnnxToOurs"/>[p] (null: the same order), which is
/// how a Flatten of our channels-last sample stays exact without a Transpose: the next layer's parameters are permuted.
/// </summary>
internal sealed record OnnxValue(string Name, SampleShape Ours, int[]? OnnxToOurs = null);
