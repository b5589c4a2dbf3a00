namespace CompiledNets.Generator.Model;

/// <summary>
/// The settings of an Embedding or a recurrent layer as written (unchecked, so the shape rules can say what is wrong).
/// </summary>
/// <param name="Vocabulary">Embedding: the number of token ids (rows of its table); 0 for recurrent layers.</param>
/// <param name="ReturnSequences">Recurrent layers: every step's state is the output, else the last step's.</param>
internal sealed record SequenceLayerInfo(long Vocabulary, bool ReturnSequences);
