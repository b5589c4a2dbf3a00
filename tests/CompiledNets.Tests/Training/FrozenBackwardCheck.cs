using CompiledNets.Tests.Generator;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>
/// The contract of <see cref="IFreezableNetwork"/>: with any set of layers (or single tensors) frozen, the generated
/// Backward returns zeros for the frozen tensors and, for every other tensor, exactly the bits of a backward pass with
/// nothing frozen, although it skips the frozen layers' weight products and every input gradient below the lowest
/// layer that trains. The workspace and the gradients start as NaN, so an op that ran on a buffer a skipped op should
/// have written shows up as NaN instead of passing by luck.
/// </summary>
internal static class FrozenBackwardCheck
{
    public static void AssertMatchesUnfrozen(INetworkProbe probe, int seed, string what, int maxSubsets = 64)
    {
        const int batch = 3;
        var random = new Random(seed);
        IReadOnlyList<ParameterTensor> tensors = probe.ParameterTensors;
        string[] layers = tensors.Select(t => t.Name[..t.Name.IndexOf('.')]).Distinct().ToArray();
        float[] initial = probe.Network.Parameters.ToArray();
        float[] inputs = Enumerable.Range(0, batch * probe.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] outputGradients = Enumerable.Range(0, batch * probe.OutputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var freezable = Assert.IsAssignableFrom<IFreezableNetwork>(probe.Network);

        float[] Backward(bool[] frozen)
        {
            initial.CopyTo(probe.Network.Parameters); // batch norm's training forward moves its running statistics
            var workspace = new float[batch * probe.TrainingWorkspacePerSample];
            workspace.AsSpan().Fill(float.NaN);
            probe.Network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 7);
            probe.SetOutputGradients(workspace, batch, outputGradients);
            var gradients = new float[probe.ParameterCount];
            gradients.AsSpan().Fill(float.NaN);
            freezable.SetFrozenTensors(frozen);
            try
            {
                probe.Network.Backward(inputs, batch, workspace, gradients);
            }
            finally
            {
                freezable.SetFrozenTensors(new bool[tensors.Count]);
            }
            return gradients;
        }

        float[] reference = Backward(new bool[tensors.Count]);
        Assert.All(reference, g => Assert.False(float.IsNaN(g), $"{what}: the unfrozen backward left a NaN gradient"));

        foreach (bool[] frozen in FrozenSets(tensors, layers, random, maxSubsets))
        {
            float[] gradients = Backward(frozen);
            string set = string.Join(", ", tensors.Where((_, i) => frozen[i]).Select(t => t.Name));
            for (int t = 0; t < tensors.Count; t++)
            {
                ParameterTensor tensor = tensors[t];
                for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
                {
                    uint expected = frozen[t] ? 0u : BitConverter.SingleToUInt32Bits(reference[i]);
                    Assert.True(expected == BitConverter.SingleToUInt32Bits(gradients[i]),
                        $"{what}, frozen {{{set}}}: gradient {i} of {tensor.Name} is {gradients[i]}, expected {(frozen[t] ? 0f : reference[i])}");
                }
            }
        }

        // Unfrozen again: the full backward, bit for bit.
        Assert.Equal(reference.Select(BitConverter.SingleToUInt32Bits), Backward(new bool[tensors.Count]).Select(BitConverter.SingleToUInt32Bits));
    }

    /// <summary>Every subset of whole layers (a random sample when there are many), each lower part of the network, and single tensors.</summary>
    private static IEnumerable<bool[]> FrozenSets(IReadOnlyList<ParameterTensor> tensors, string[] layers, Random random, int maxSubsets)
    {
        bool[] Layers(Func<int, bool> frozenLayer) =>
            tensors.Select(t => frozenLayer(Array.IndexOf(layers, t.Name[..t.Name.IndexOf('.')]))).ToArray();

        int all = layers.Length >= 20 ? int.MaxValue : 1 << layers.Length;
        if (all <= maxSubsets)
        {
            for (int mask = 1; mask < all; mask++) yield return Layers(l => (mask >> l & 1) != 0);
        }
        else
        {
            for (int k = 1; k <= layers.Length; k++) yield return Layers(l => l < k); // the first k layers
            for (int i = 0; i < maxSubsets; i++)
            {
                int[] bits = layers.Select(_ => random.Next(2)).ToArray();
                yield return Layers(l => bits[l] == 1);
            }
        }
        for (int t = 0; t < tensors.Count; t++) yield return tensors.Select((_, i) => i == t).ToArray();
    }
}
