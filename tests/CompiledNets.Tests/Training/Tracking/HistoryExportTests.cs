using System.Globalization;
using System.Xml.Linq;
using CompiledNets.Data;
using CompiledNets.Tests.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.Tracking;

public class HistoryExportTests
{
    private sealed class Squares : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context) => context.AddMetric("epoch squared", context.LastEpoch.Epoch * context.LastEpoch.Epoch);
    }

    private static TrainingHistory Train(bool validation)
    {
        Dataset train = TrainingData.Blobs(45, seed: 41);
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(1), new Adam(0.01), Loss.SoftmaxCrossEntropy);
        return trainer.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 8, Validation = validation ? TrainingData.Blobs(17, 42) : null, Callbacks = [new Squares()] });
    }

    [Fact]
    public void CsvHasAColumnPerMetricAndRoundTripsEveryValue()
    {
        TrainingHistory history = Train(validation: false);
        string[] lines = history.ToCsv().TrimEnd('\n').Split('\n');
        Assert.Equal("epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,epoch_seconds,epoch squared", lines[0]);
        Assert.Equal(4, lines.Length);
        for (int i = 0; i < 3; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            EpochMetrics epoch = history.Epochs[i];
            Assert.Equal(epoch.Epoch, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.TrainLoss, double.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.TrainAccuracy, double.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal("", cells[3]); // no validation set
            Assert.Equal("", cells[4]);
            Assert.Equal(epoch.LearningRate, (float)double.Parse(cells[5], CultureInfo.InvariantCulture));
            Assert.Equal((i + 1) * (i + 1), double.Parse(cells[7], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void JsonRoundTripsTheEpochsBitForBitAndFilesAreWrittenWhole()
    {
        using var directory = new TempDirectory();
        TrainingHistory history = Train(validation: true);
        history.SaveJson(directory.File("history.json"));
        history.SaveCsv(directory.File("history.csv"));
        IReadOnlyList<EpochMetrics> back = TrainingHistoryExport.ParseJsonEpochs(File.ReadAllText(directory.File("history.json")));
        Assert.Equal(history.Epochs.Count, back.Count);
        for (int i = 0; i < back.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToUInt64Bits(history.Epochs[i].TrainLoss), BitConverter.DoubleToUInt64Bits(back[i].TrainLoss));
            Assert.Equal(BitConverter.DoubleToUInt64Bits(history.Epochs[i].ValidationLoss), BitConverter.DoubleToUInt64Bits(back[i].ValidationLoss));
            Assert.Equal(history.Epochs[i].Elapsed, back[i].Elapsed);
            Assert.Equal(history.Epochs[i].Custom["epoch squared"], back[i].Custom["epoch squared"]);
        }
        Assert.Equal(["history.csv", "history.json"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
        Assert.Throws<DirectoryNotFoundException>(() => history.SaveCsv(Path.Combine(directory.Path, "missing", "h.csv")));
    }

    [Fact]
    public void CurvesAreAValidSvgWithALinePerSeriesAndAPointPerEpoch()
    {
        TrainingHistory history = Train(validation: true);
        XDocument svg = XDocument.Parse(TrainingCurves.ToSvg(history, "a <title> & more"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(4, lines.Count); // loss: train, validation; accuracy: train, validation
        Assert.All(lines, line => Assert.Equal(3, line.Attribute("points")!.Value.Split(' ').Length));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "a <title> & more");

        // Without validation only the training lines are drawn.
        Assert.Equal(2, XDocument.Parse(TrainingCurves.ToSvg(Train(validation: false))).Descendants(ns + "polyline").Count());
    }
}
