using System.Text.Json;
using CompiledNets.Checkpoints;
using CompiledNets.Tests.Checkpoints;
using CompiledNets.Tests.Convolution.Declared;
using CompiledNets.Tests.Data;
using CompiledNets.Tests.Inference;
using Xunit;

namespace CompiledNets.Tests.Quantization;

/// <summary>Int8 snapshots as safetensors: documented names and dtypes, exact round trips, validated like float checkpoints.</summary>
public class QuantizedCheckpointTests
{
    [Fact]
    public void ASavedSnapshotIsPlainSafetensorsWithI8WeightsAndF32Scales()
    {
        using var folder = new TempDirectory();
        var mlp = new PackedFashionSizedMlp(3);
        QuantizedWeights weights = mlp.Quantize(new QuantizationOptions { KeepFloat = ["dense2"] });
        string path = folder.File("mlp-int8.safetensors");
        weights.Save(path);

        var (_, header, data) = RawSafetensors.Read(path);
        JsonElement weight = header.GetProperty("dense0.weight");
        Assert.Equal("I8", weight.GetProperty("dtype").GetString());
        Assert.Equal([256, 784], weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement scale = header.GetProperty("dense0.weight_scale");
        Assert.Equal("F32", scale.GetProperty("dtype").GetString());
        Assert.Equal([256], scale.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("F32", header.GetProperty("dense2.weight").GetProperty("dtype").GetString()); // kept float
        Assert.False(header.TryGetProperty("dense2.weight_scale", out _));
        Assert.Equal("compilednets-int8", header.GetProperty("__metadata__").GetProperty("format").GetString());

        // The stored int8 values and scales are the snapshot's, row-major without padding.
        long begin = weight.GetProperty("data_offsets")[0].GetInt64();
        float[] scales = RawSafetensors.Floats(data, scale.GetProperty("data_offsets")[0].GetInt64(), scale.GetProperty("data_offsets")[1].GetInt64());
        var matrix = weights.Dense(0).Matrix!;
        Assert.Equal(matrix.Scales.ToArray(), scales);
        for (int n = 0; n < 256; n += 51)
            for (int k = 0; k < 784; k += 97)
                Assert.Equal(matrix.Values[n * matrix.Stride + k], (sbyte)data[begin + n * 784 + k]);
    }

    [Fact]
    public void ALoadedSnapshotPredictsTheSameBits()
    {
        using var folder = new TempDirectory();
        foreach (QuantizedCase network in QuantizedCase.All())
        {
            QuantizedWeights weights = network.Quantize(null);
            string path = folder.File(network.Name + ".safetensors");
            weights.Save(path);
            QuantizedWeights loaded = Load(network, path);
            Assert.Equal(weights.Layers, loaded.Layers);
            float[] inputs = network.Inputs(17, 4);
            Assert.Equal(network.PredictInt8Batch(inputs, 17, weights), network.PredictInt8Batch(inputs, 17, loaded));
        }
    }

    [Fact]
    public void AFileEditedAfterSavingIsRefused()
    {
        using var folder = new TempDirectory();
        var mlp = new PackedFashionSizedMlp(3);
        string path = folder.File("mlp-int8.safetensors");
        mlp.Quantize().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1000] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => PackedFashionSizedMlp.LoadQuantized(path));
        Assert.Contains("integrity", error.Message);
    }

    [Fact]
    public void AnotherNetworksOrAFloatCheckpointIsRefusedNamingTheProblem()
    {
        using var folder = new TempDirectory();
        string int8 = folder.File("relu-int8.safetensors"), float32 = folder.File("mlp.safetensors");
        new PackedReluGeluTanhSoftmax(1).Quantize().Save(int8);
        Assert.Contains(PackedReluGeluTanhSoftmax.NetworkName, Assert.Throws<InvalidDataException>(() => PackedFashionSizedMlp.LoadQuantized(int8)).Message);
        var mlp = new PackedFashionSizedMlp(1);
        mlp.Save(float32);
        Assert.Contains("float32 checkpoint", Assert.Throws<InvalidDataException>(() => PackedFashionSizedMlp.LoadQuantized(float32)).Message);
        Assert.Throws<FileNotFoundException>(() => PackedFashionSizedMlp.LoadQuantized(folder.File("missing.safetensors")));
    }

    [Fact]
    public void OutOfRangeValuesAndMissingScalesAreRefused()
    {
        using var folder = new TempDirectory();
        var tensors = new List<RawSafetensors.Tensor>();
        var mlp = new PackedFashionSizedMlp(2);
        QuantizedWeights weights = mlp.Quantize();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "compilednets-int8", ["format_version"] = "1", ["network"] = PackedFashionSizedMlp.NetworkName,
            ["parameter_count"] = PackedFashionSizedMlp.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["integrity_xxhash64"] = "0000000000000000",
        };
        string path = folder.File("hand-made.safetensors");
        foreach (ParameterTensor tensor in PackedFashionSizedMlp.ParameterTensors)
            tensors.Add(RawSafetensors.F32(tensor.Name, [.. tensor.Shape.Select(d => (long)d)], weights.Parameters.Slice(tensor.Offset, tensor.Length)));
        tensors[0] = new RawSafetensors.Tensor("dense0.weight", "I8", [256, 784], new byte[256 * 784]);
        RawSafetensors.Write(path, tensors, metadata);
        Assert.Contains("missing tensor 'dense0.weight_scale'", Assert.Throws<InvalidDataException>(() => PackedFashionSizedMlp.LoadQuantized(path)).Message);
    }

    private static QuantizedWeights Load(QuantizedCase network, string path) => network.Network switch
    {
        PackedReluGeluTanhSoftmax => PackedReluGeluTanhSoftmax.LoadQuantized(path),
        PackedSmoothToOneUnit => PackedSmoothToOneUnit.LoadQuantized(path),
        PackedStepSignIdentity => PackedStepSignIdentity.LoadQuantized(path),
        PackedFashionSizedMlp => PackedFashionSizedMlp.LoadQuantized(path),
        OddConvNet => OddConvNet.LoadQuantized(path),
        BatchNormNet => BatchNormNet.LoadQuantized(path),
        Generator.Forward.Declared.ResidualBlockNet => Generator.Forward.Declared.ResidualBlockNet.LoadQuantized(path),
        Generator.Forward.Declared.FanOutNet => Generator.Forward.Declared.FanOutNet.LoadQuantized(path),
        _ => throw new InvalidOperationException(network.Name),
    };
}
