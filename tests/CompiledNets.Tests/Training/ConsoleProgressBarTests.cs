using CompiledNets.Tests.TestDoubles;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

public class ConsoleProgressBarTests
{
    private static TrainingProgress Batch(int batch, int total) =>
        new(TrainingProgressKind.Batch, 1, 2, batch, total, batch * 10, 0.5, 0.75, double.NaN, double.NaN, TimeSpan.FromSeconds(batch), 0.01f);

    private static readonly TrainingProgress s_epoch =
        new(TrainingProgressKind.EpochEnd, 1, 2, 50, 50, 500, 0.4, 0.8, 0.45, 0.78, TimeSpan.FromSeconds(3.2), 0.01f);

    [Fact]
    public void RedirectedOutputGetsPlainEpochLinesOnly()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer, interactive: false);
        for (int i = 1; i <= 50; i++) bar.Report(Batch(i, 50));
        bar.Report(s_epoch);
        string text = writer.ToString();
        Assert.DoesNotContain('\r', text);
        Assert.Equal(["epoch 1/2: loss 0.4000 acc 0.8000 | val loss 0.4500 val acc 0.7800 | lr 0.01 | 3.2s", ""], text.Split(Environment.NewLine));
    }

    [Fact]
    public void LiveLineIsThrottledAndEndsWithAPermanentEpochLine()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer, interactive: true) { RedrawInterval = TimeSpan.FromHours(1) };
        for (int i = 1; i <= 50; i++) bar.Report(Batch(i, 50));
        string live = writer.ToString();
        Assert.Equal(2, live.Count(c => c == '\r')); // the first batch, then the last one (always drawn)
        Assert.Contains("50/50 100% ETA 0.0s loss 0.5000 acc 0.7500 10 samples/s", live);
        bar.Report(s_epoch);
        Assert.EndsWith("epoch 1/2: loss 0.4000 acc 0.8000 | val loss 0.4500 val acc 0.7800 | lr 0.01 | 3.2s" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void LiveLineShowsBarPercentageAndEta()
    {
        string line = ConsoleProgressBar.FormatLive(Batch(10, 40));
        Assert.StartsWith("epoch 1/2 [======                  ] 10/40  25% ETA 30.0s", line);
    }

    [Fact]
    public void WorksAsTheTrainersProgressSink()
    {
        var writer = new StringWriter();
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        trainer.Fit(TrainingData.Blobs(40, 1), new TrainingOptions { Epochs = 2, BatchSize = 8, Progress = new ConsoleProgressBar(writer, interactive: false) });
        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("epoch 2/2: loss ", lines[1]);
    }

    private static TrainingProgress LongBatch(int batch) =>
        new(TrainingProgressKind.Batch, 10, 10, batch, 938, batch * 64, 0.123456, 0.987654, double.NaN, double.NaN, TimeSpan.FromSeconds(75.5), 0.001f);

    [Theory]
    [InlineData(30)]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public void LinesFitTheWidthKeepingEtaAndLossTheLongest(int width)
    {
        for (int batch = 1; batch <= 938; batch += 131)
        {
            string live = ConsoleProgressBar.FormatLive(LongBatch(batch), width);
            Assert.True(live.Length <= width, $"{live.Length} > {width}: '{live}'");
            if (width >= 40) Assert.Contains("ETA ", live);
            if (width >= 40) Assert.Contains("loss 0.1235", live);
            if (width >= 160) Assert.Equal(ConsoleProgressBar.FormatLive(LongBatch(batch)), live);
        }
        var epoch = new TrainingProgress(TrainingProgressKind.EpochEnd, 10, 10, 938, 938, 60000, 0.123456, 0.987654, 0.234567, 0.912345, TimeSpan.FromSeconds(75.5), 0.001f);
        string line = ConsoleProgressBar.FormatEpoch(epoch, width);
        Assert.True(line.Length <= width, $"{line.Length} > {width}: '{line}'");
        Assert.StartsWith(width >= 30 ? "epoch 10/10: loss 0.1235" : "epoch 10/10", line);
    }

    [Fact]
    public void AnInteractiveBarNeverReachesTheLastColumnAndFollowsAResize()
    {
        int width = 80;
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer, interactive: true, () => width) { RedrawInterval = TimeSpan.Zero };
        for (int batch = 1; batch <= 938; batch += 37)
        {
            if (batch > 500) width = 50;
            bar.Report(LongBatch(batch));
        }
        string[] redraws = writer.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(redraws, r => Assert.True(r.Length <= 79, $"{r.Length}: '{r}'"));
        Assert.True(redraws[^1].Length <= 49, redraws[^1]);
    }
}
