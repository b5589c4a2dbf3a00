using CompiledNets.Data;
using Xunit;

namespace CompiledNets.Tests.Data;

public sealed class CsvDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string text)
    {
        string path = _temp.File(Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Classification_WithHeader_LabelLastColumn_InfersClassCount()
    {
        string path = Write("a,b,label\n1.5,2,0\n-3e-1, 4 ,2\n\n5,\"6\",1\n");
        Dataset set = CsvDataset.Load(path, new CsvOptions { LabelColumn = ^1 });
        Assert.Equal(3, set.Count);
        Assert.Equal(2, set.FeatureCount);
        Assert.Equal(3, set.ClassCount);
        Assert.Equal(new[] { 1.5f, 2f, -0.3f, 4f, 5f, 6f }, set.Features);
        Assert.Equal(new[] { 0, 2, 1 }, set.Labels);
    }

    [Fact]
    public void Classification_NoHeader_OtherSeparator_GivenClassCount_IgnoredColumn()
    {
        string path = Write("7;1;0.5;0.25\r\n8;0;1;2\r\n");
        var options = new CsvOptions { HasHeader = false, Separator = ';', LabelColumn = 1, ClassCount = 5, IgnoredColumns = [0] };
        Dataset set = CsvDataset.Load(path, options);
        Assert.Equal(2, set.Count);
        Assert.Equal(5, set.ClassCount);
        Assert.Equal(new[] { 0.5f, 0.25f, 1f, 2f }, set.Features);
        Assert.Equal(new[] { 1, 0 }, set.Labels);
    }

    [Fact]
    public void Regression_TargetsFollowTheOrderOfTheOptions()
    {
        string path = Write("y1,x,y2\n1,10,2\n3,20,4\n");
        Dataset set = CsvDataset.Load(path, new CsvOptions { TargetColumns = [2, 0] });
        Assert.Null(set.Labels);
        Assert.Equal(2, set.TargetCount);
        Assert.Equal(new[] { 10f, 20f }, set.Features);
        Assert.Equal(new[] { 2f, 1f, 4f, 3f }, set.Targets);
    }

    [Fact]
    public void ColumnsCanBeNamedFromTheHeader()
    {
        string path = Write("id, x ,y,species\n1,0.5,7,2\n2,1.5,8,0\n");
        Dataset classification = CsvDataset.Load(path, new CsvOptions { LabelColumnName = "species", IgnoredColumns = [0] });
        Assert.Equal(new[] { 0.5f, 7f, 1.5f, 8f }, classification.Features);
        Assert.Equal(new[] { 2, 0 }, classification.Labels);

        Dataset regression = CsvDataset.Load(path, new CsvOptions { TargetColumnNames = ["y", "x"], IgnoredColumns = [^1] });
        Assert.Equal(new[] { 7f, 0.5f, 8f, 1.5f }, regression.Targets);
        Assert.Equal(1, regression.FeatureCount);
        Assert.Equal(new[] { 1f, 2f }, regression.Features);

        var error = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumnName = "kind" }));
        Assert.Contains("Column 'kind' is not in the header", error.Message);
        Assert.Contains("columns: id, x, y, species", error.Message);
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumnName = "species" }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumn = 3, LabelColumnName = "species" }));
    }

    [Fact]
    public void NonNumericValue_NamesLineColumnAndHeader()
    {
        string path = Write("a,b,label\n1,2,0\n1,abc,1\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumn = ^1 }));
        Assert.Equal($"'{path}' line 3, column 2 ('b'): 'abc' is not a number.", error.Message);
    }

    [Fact]
    public void NonFiniteValue_IsRejected()
    {
        string path = Write("1,NaN,0\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = ^1 }));
        Assert.Contains("line 1, column 2", error.Message);
        Assert.Contains("not finite", error.Message);
    }

    [Fact]
    public void RaggedRow_NamesLineAndCounts()
    {
        string path = Write("1,2,0\n3,4,1\n5,1\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = ^1 }));
        Assert.Equal($"'{path}' line 3 has 2 columns, but line 1 has 3.", error.Message);
    }

    [Fact]
    public void RaggedRow_ComparedWithTheHeader()
    {
        string path = Write("a,b,c\n1,2,0,9\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumn = ^1 }));
        Assert.Contains("line 2 has 4 columns, but the header has 3", error.Message);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("\n  \n", false)]
    [InlineData("a,b\n", true)]
    public void EmptyFile_OrOnlyHeader_IsAnError(string text, bool hasHeader)
    {
        string path = Write(text);
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = hasHeader, LabelColumn = ^1 }));
        Assert.Contains(path, error.Message);
        Assert.Contains("no data rows", error.Message);
    }

    [Theory]
    [InlineData("1,2.5\n", "is not a non-negative integer class label")]
    [InlineData("1,-1\n", "is not a non-negative integer class label")]
    [InlineData("1,3\n", "is outside the 3 classes [0, 3)")]
    public void BadLabel_NamesLineAndColumn(string text, string problem)
    {
        string path = Write(text);
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = 1, ClassCount = 3 }));
        Assert.Contains("line 1, column 2", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void InconsistentOptions_AreArgumentErrors()
    {
        string path = Write("1,2,3\n");
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = 0, TargetColumns = [1] }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = 3 }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, TargetColumns = [0, 0] }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { HasHeader = false, LabelColumn = 0, IgnoredColumns = [1, 2] }));
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(_temp.File("none.csv"), new CsvOptions { LabelColumn = 0 }));
}
