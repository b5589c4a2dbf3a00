namespace FashionMnistSample;

/// <summary>
/// Each 28x28 image read as a sequence of 28 rows of 28 pixels (the IDX row-major layout is already step by step), an LSTM
/// over the rows, its last state into the classifier.
/// </summary>
[CompiledNets.Network(Shape = new[] { 28, 28 })]
[CompiledNets.Lstm(128)]
[CompiledNets.Output(10)]
public partial class SequentialLstm;
