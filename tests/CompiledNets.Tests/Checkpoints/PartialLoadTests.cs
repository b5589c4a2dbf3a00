using CompiledNets.Checkpoints;
using CompiledNets.Tests.Data;
using CompiledNets.Tests.Training;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

public class PartialLoadTests
{
    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static ReadOnlySpan<float> Tensor<TNetwork>(TNetwork net, string name)
        where TNetwork : INetwork
    {
        ParameterTensor tensor = TNetwork.ParameterTensors.Single(t => t.Name == name);
        return net.Parameters.Slice(tensor.Offset, tensor.Length);
    }

    [Fact]
    public void LoadsTheMatchingLayersOfAnotherNetworkAndReportsTheRest()
    {
        using var directory = new TempDirectory();
        var source = new ResumeMlp(5);
        var trainer = new Trainer<ResumeMlp>(source, new Adam(0.05), Loss.SoftmaxCrossEntropy);
        trainer.Fit(TrainingData.Blobs(40, 1), new TrainingOptions { Epochs = 1, BatchSize = 8 });
        string path = directory.File("source.safetensors");
        source.Save(path, trainer.Optimizer);

        var target = new TransferMlp(7);
        float[] before = target.Parameters.ToArray();
        PartialLoadReport report = Checkpoint.LoadPartial(target, path, include: name => name.StartsWith("dense0.", StringComparison.Ordinal));

        Assert.Equal([("dense0.weight", "dense0.weight"), ("dense0.bias", "dense0.bias")], report.Loaded);
        Assert.Equal(["dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"], report.NotInFile);
        Assert.Contains("dense1.weight", report.SkippedInFile);
        Assert.Contains("optimizer.m.dense0.weight", report.SkippedInFile);
        Assert.Equal(Bits(Tensor(source, "dense0.weight")), Bits(Tensor(target, "dense0.weight")));
        Assert.Equal(Bits(Tensor(source, "dense0.bias")), Bits(Tensor(target, "dense0.bias")));
        ParameterTensor head = TransferMlp.ParameterTensors.Single(t => t.Name == "dense1.weight");
        Assert.Equal(Bits(before.AsSpan(head.Offset, head.Length)), Bits(Tensor(target, "dense1.weight")));
    }

    [Fact]
    public void ShapeMismatchesAreErrorsThatNameEveryTensorAndChangeNothing()
    {
        using var directory = new TempDirectory();
        string path = directory.File("source.safetensors");
        new ResumeMlp(5).Save(path);
        var target = new TransferMlp(7);
        uint[] before = Bits(target.Parameters);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadPartial(target, path));
        Assert.Contains($"'dense1.weight' has shape [9, 17] but {TransferMlp.NetworkName}'s 'dense1.weight' is [4, 17]", error.Message);
        Assert.Contains("'dense2.weight' has shape [3, 9]", error.Message);
        Assert.Equal(before, Bits(target.Parameters));

        var nothing = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadPartial(target, path, mapName: name => "backbone." + name));
        Assert.Contains("none of", nothing.Message);
    }

    [Fact]
    public void MappedNamesLoadFromAPrefixedFileAndACorruptFileIsRefused()
    {
        using var directory = new TempDirectory();
        var source = new ResumeMlp(8);
        string path = directory.File("source.safetensors");
        source.Save(path);
        var target = new ResumeMlp(1);
        PartialLoadReport report = Checkpoint.LoadPartial(target, path, mapName: name => name);
        Assert.Equal(6, report.Loaded.Count);
        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var fresh = new ResumeMlp(2);
        uint[] before = Bits(fresh.Parameters);
        Assert.Throws<InvalidDataException>(() => Checkpoint.LoadPartial(fresh, path, include: n => n.StartsWith("dense0.", StringComparison.Ordinal)));
        Assert.Equal(before, Bits(fresh.Parameters));
    }
}
