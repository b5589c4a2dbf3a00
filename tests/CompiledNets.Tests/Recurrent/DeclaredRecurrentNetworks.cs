// Sequence networks compiled by the generator through the test project's analyzer reference, then run for real.
namespace CompiledNets.Tests.Recurrent.Declared;

/// <summary>The PyTorch fixture's "network": nn.Embedding(11, 4) -> nn.LSTM(4, 5) (last state) -> nn.Linear(5, 3).</summary>
[Network(Shape = new[] { 6, 1 })]
[Embedding(11, 4)]
[Lstm(5)]
[Dense(3)]
public partial class TokenLstmClassifier;

/// <summary>Stacked recurrent layers of every kind on a feature sequence, with dropout between them.</summary>
[Network(Shape = new[] { 7, 3 })]
[Gru(5, ReturnSequences = true)]
[Dropout(0.25)]
[SimpleRnn(4, ReturnSequences = true)]
[Lstm(3)]
[Dense(2, Activation.Tanh)]
public partial class StackedRecurrent;

/// <summary>All steps flattened into a dense head.</summary>
[Network(Shape = new[] { 5, 2 })]
[Lstm(3, ReturnSequences = true, Bias = false)]
[Flatten]
[Output(4, Activation.Softmax)]
public partial class FlattenedSequence;

/// <summary>The Forward form of <see cref="TokenLstmClassifier"/>: the same network, so the same parameters give the same outputs.</summary>
[Network(Shape = new[] { 6, 1 })]
public partial class TokenLstmClassifierForward
{
    [Embedding(11, 4)] Layer embed;
    [Lstm(5)] Layer lstm;
    [Dense(3)] Layer head;

    Tensor Forward(Tensor x) => head(lstm(embed(x)));
}

/// <summary>A residual sum of two recurrent sequences in the Forward form (element-wise ops on sequences).</summary>
[Network(Shape = new[] { 4, 3 })]
public partial class ResidualGru
{
    [Gru(3, ReturnSequences = true)] Layer first;
    [Gru(3, ReturnSequences = true)] Layer second;
    [SimpleRnn(2)] Layer last;
    [Dense(2)] Layer head;

    Tensor Forward(Tensor x)
    {
        Tensor h = first(x);
        h = h + second(h);
        return head(last(h));
    }
}

/// <summary>Recall the first of 8 tokens (5 kinds).</summary>
[Network(Shape = new[] { 8, 1 })]
[Embedding(5, 8)]
[Lstm(16)]
[Output(5)]
public partial class FirstTokenRecall;

/// <summary>The sign of the first feature of 10 steps of 3 Gaussian features.</summary>
[Network(Shape = new[] { 10, 3 })]
[Gru(12)]
[Output(2)]
public partial class FirstSignGru;
