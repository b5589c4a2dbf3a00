using CompiledNets.Data;
using Xunit;

namespace CompiledNets.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabels_PlainOrGzip(bool gzip)
    {
        string images = _temp.File("images.idx");
        string labels = _temp.File("labels.idx");
        IdxWriter.Write(images, IdxWriter.Images(4, 3, 2), gzip);
        IdxWriter.Write(labels, IdxWriter.Labels(0, 1, 2, 9), gzip);

        IdxImages read = IdxReader.ReadImages(images);
        Assert.Equal((4, 3, 2), (read.Count, read.Rows, read.Columns));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)(i * 7 % 256)), read.Pixels);
        Assert.Equal(new byte[] { 0, 1, 2, 9 }, IdxReader.ReadLabels(labels));
    }

    [Fact]
    public void LoadDataset_ScalesPixelsToUnitRange_AndKeepsLabels()
    {
        string images = _temp.File("images");
        string labels = _temp.File("labels");
        IdxWriter.Write(images, IdxWriter.Build([2, 1, 3], new byte[] { 0, 51, 255, 255, 102, 0 }), gzip: true);
        IdxWriter.Write(labels, IdxWriter.Labels(3, 1), gzip: false);

        Dataset set = IdxReader.LoadDataset(images, labels, classCount: 4);
        Assert.Equal(2, set.Count);
        Assert.Equal(3, set.FeatureCount);
        Assert.Equal(4, set.ClassCount);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 1f, 0.4f, 0f }, set.Features);
        Assert.Equal(new[] { 3, 1 }, set.Labels);
    }

    [Fact]
    public void LoadDataset_MaxSamplesTakesTheFirstSamples()
    {
        string images = _temp.File("images");
        string labels = _temp.File("labels");
        IdxWriter.Write(images, IdxWriter.Images(5, 2, 2), gzip: false);
        IdxWriter.Write(labels, IdxWriter.Labels(0, 1, 0, 1, 0), gzip: false);

        Dataset set = IdxReader.LoadDataset(images, labels, classCount: 2, maxSamples: 2);
        Assert.Equal(2, set.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (byte)(i * 7) / 255f), set.Features);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFile_NamesPathExpectedAndActualSize(bool gzip)
    {
        string path = _temp.File("truncated");
        byte[] full = IdxWriter.Images(10, 4, 4); // 16 header + 160 data bytes
        IdxWriter.Write(path, full[..100], gzip);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("176", error.Message);
        Assert.Contains("100", error.Message);
    }

    [Fact]
    public void TruncatedInsideTheHeader_IsReported()
    {
        string path = _temp.File("short");
        IdxWriter.Write(path, IdxWriter.Images(1, 2, 2)[..7], gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TrailingBytes_AreAnError()
    {
        string path = _temp.File("long");
        IdxWriter.Write(path, [.. IdxWriter.Labels(1, 2), 7, 7], gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("longer than its header says", error.Message);
        Assert.Contains("should be 10 bytes, but it has 12", error.Message);
    }

    [Fact]
    public void BadMagic_IsReported()
    {
        string path = _temp.File("magic");
        IdxWriter.Write(path, IdxWriter.Build([2], new byte[] { 1, 2 }, magicPrefix: [0x12, 0x34]), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("magic number starts with 12 34", error.Message);
    }

    [Fact]
    public void UnsupportedDataType_IsReported()
    {
        string path = _temp.File("floats");
        IdxWriter.Write(path, IdxWriter.Build([1], new byte[] { 0, 0, 0, 0 }, dataType: 0x0D), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("data type 0x0D", error.Message);
    }

    [Fact]
    public void WrongDimensionCount_IsReported()
    {
        string path = _temp.File("labels-as-images");
        IdxWriter.Write(path, IdxWriter.Labels(1, 2, 3), gzip: true);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("has 1 dimensions; IDX images files have 3", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountMismatch_NamesBothFilesAndCounts()
    {
        string images = _temp.File("images");
        string labels = _temp.File("labels");
        IdxWriter.Write(images, IdxWriter.Images(3, 2, 2), gzip: false);
        IdxWriter.Write(labels, IdxWriter.Labels(0, 1), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.LoadDataset(images, labels, classCount: 2));
        Assert.Contains(images, error.Message);
        Assert.Contains(labels, error.Message);
        Assert.Contains("3 images", error.Message);
        Assert.Contains("2 labels", error.Message);
    }

    [Fact]
    public void LabelOutOfRange_IsReported()
    {
        string images = _temp.File("images");
        string labels = _temp.File("labels");
        IdxWriter.Write(images, IdxWriter.Images(2, 1, 1), gzip: false);
        IdxWriter.Write(labels, IdxWriter.Labels(0, 10), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.LoadDataset(images, labels, classCount: 10));
        Assert.Contains("label 10 of sample 1", error.Message);
    }

    [Fact]
    public void CorruptGzip_NamesThePath()
    {
        string path = _temp.File("broken.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 0x08, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound()
    {
        string path = _temp.File("nope");
        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(path));
        Assert.Equal(path, error.FileName);
    }
}
