namespace CompiledNets.Kernels;

/// <summary>Weight initialisation schemes used by generated networks.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class ParameterInitializer
{
    /// <summary>He/Kaiming normal: N(0, 2 / fanIn). Keeps activations' variance through ReLU-family layers.</summary>
    public static void HeNormal(Span<float> weights, int fanIn, ref SeededRandom random)
    {
        double std = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextGaussian() * std);
    }

    /// <summary>Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)).</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, ref SeededRandom random)
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2.0 - 1.0) * limit);
    }

    /// <summary>U(-bound, bound): PyTorch's initialisation of every LSTM, GRU and RNN weight and bias, bound = 1 / sqrt(hidden).</summary>
    public static void Uniform(Span<float> weights, double bound, ref SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2.0 - 1.0) * bound);
    }

    /// <summary>N(0, 1): PyTorch's initialisation of an embedding table.</summary>
    public static void StandardNormal(Span<float> weights, ref SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)random.NextGaussian();
    }
}
