// Networks for the GPU suite, large enough that every multiply spans several 16 x 16 tiles with ragged edges.
namespace CompiledNets.Tests.Gpu.Declared;

[Network(Input = 40)]
[Dense(37, Activation.Relu)]
[Dropout(0.2)]
[Dense(20, Activation.Sigmoid)]
[Dense(3)]
public partial class TileCrossingMlp;
