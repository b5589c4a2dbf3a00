using CompiledNets.Checkpoints;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

public sealed class CheckpointRoundTripTests : CheckpointTestBase
{
    [Fact]
    public void Weights_RoundTripBitIdentical_ThroughExtensionMethods()
    {
        var saved = new HandWrittenLinearNetwork(seed: 1);
        saved.Parameters[0] = float.Epsilon;       // subnormal
        saved.Parameters[1] = -0f;                 // sign of zero
        saved.Parameters[2] = float.NaN;           // NaN payload survives too
        string path = Temp.File("weights.safetensors");
        saved.Save(path);

        var loaded = new HandWrittenLinearNetwork(seed: 2);
        Assert.NotEqual(Bits(saved.Parameters), Bits(loaded.Parameters));
        loaded.Load(path);
        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void StaticApi_RoundTrips_AndOverwritesAnExistingFile()
    {
        string path = Temp.File("w.safetensors");
        Checkpoint.Save(new HandWrittenLinearNetwork(seed: 3), path);
        var second = new HandWrittenLinearNetwork(seed: 4);
        Checkpoint.Save(second, path);

        var loaded = new HandWrittenLinearNetwork(seed: 5);
        Checkpoint.Load(loaded, path);
        Assert.Equal(Bits(second.Parameters), Bits(loaded.Parameters));
        Assert.Single(Directory.GetFiles(Temp.Path));
    }

    [Fact]
    public void OptimizerState_AndStepCount_RoundTrip_IntoAFreshOptimizer()
    {
        var network = new HandWrittenLinearNetwork(seed: 1);
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 1234);
        string path = Temp.File("opt.safetensors");
        network.Save(path, optimizer);

        var fresh = new FakeOptimizer();
        var loaded = new HandWrittenLinearNetwork(seed: 2);
        loaded.Load(path, fresh);

        Assert.Equal(1, fresh.InitializeCalls);
        Assert.Equal(1234, fresh.StepCount);
        Assert.Equal(Bits(network.Parameters), Bits(loaded.Parameters));
        for (int s = 0; s < optimizer.State.Count; s++)
        {
            Assert.Equal(optimizer.State[s].Name, fresh.State[s].Name);
            Assert.Equal(Bits(optimizer.State[s].Values), Bits(fresh.State[s].Values));
        }
    }

    [Fact]
    public void OptimizerState_LoadsIntoAnInitialisedOptimizer_WithoutReinitialising()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 7));
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 0);
        float[] buffer = optimizer.State[0].Values;
        new HandWrittenLinearNetwork().Load(path, optimizer);
        Assert.Equal(1, optimizer.InitializeCalls);
        Assert.Same(buffer, optimizer.State[0].Values); // restored in place: the trainer's references stay valid
        Assert.Equal(7, optimizer.StepCount);
    }

    [Fact]
    public void FileWithOptimizerState_LoadsWeightsOnly_WhenNoOptimizerIsGiven()
    {
        var network = new HandWrittenLinearNetwork(seed: 1);
        string path = Temp.File("opt.safetensors");
        network.Save(path, FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 3));
        var loaded = new HandWrittenLinearNetwork(seed: 2);
        loaded.Load(path);
        Assert.Equal(Bits(network.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void ReadInfo_DescribesTheFile()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 5, name: "adam"));
        CheckpointInfo info = Checkpoint.ReadInfo(path);
        Assert.Equal(HandWrittenLinearNetwork.NetworkName, info.NetworkName);
        Assert.Equal("adam", info.OptimizerName);
        Assert.Equal(
            ["dense0.weight", "dense0.bias", "optimizer.m.dense0.weight", "optimizer.m.dense0.bias", "optimizer.v.dense0.weight", "optimizer.v.dense0.bias"],
            info.Tensors.Select(t => t.Name));
        Assert.Equal(0, info.DataOffset % 8);
    }
}
