using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using CompiledNets.Data;
using CompiledNets.Tests.Hardening;
using Xunit;

namespace CompiledNets.Tests.Data;

/// <summary>
/// Issue 15's data-file findings, and a campaign of generated bad files: each is refused with an
/// <see cref="InvalidDataException"/> naming the file, allocating no more than a small multiple of its own size.
/// </summary>
public sealed class BadDataFileTests : IDisposable
{
    /// <summary>Buffers, exception messages and stack traces cost a fixed amount whatever the file.</summary>
    private const long FixedAllowance = 256 * 1024;

    /// <summary>Allocations allowed per byte of the bad file.</summary>
    private const long PerByteAllowance = 4;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly CsvOptions s_labelLast = new() { HasHeader = false, LabelColumn = ^1 };

    /// <summary>Runs <paramref name="load"/>, which must refuse <paramref name="path"/>; returns the error and the bytes it allocated.</summary>
    private static (InvalidDataException Error, long Allocated) Refused(string path, Action load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(path, error.Message);
        return (error, allocated);
    }

    private static void AssertSmallAllocation(string path, long allocated)
    {
        long size = new FileInfo(path).Length;
        Assert.True(allocated <= PerByteAllowance * size + FixedAllowance,
            $"refusing the {size}-byte '{Path.GetFileName(path)}' allocated {allocated} bytes");
    }

    private string Write(string name, byte[] content)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(content);
        return memory.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AHeaderDeclaringBillionsOfImages_IsRefusedWithoutAllocatingThem(bool gzip)
    {
        byte[] header = IdxWriter.Build([1 << 30, 1, 1], []);
        string path = Write("huge-count.idx", gzip ? Gzip(header) : header);
        IdxReader.ReadImages(Write("warm.idx", IdxWriter.Images(1, 1, 1))); // first-call costs out of the measurement
        (InvalidDataException error, long allocated) = Refused(path, () => IdxReader.ReadImages(path));
        Assert.Contains("truncated", error.Message);
        AssertSmallAllocation(path, allocated);
    }

    [Fact]
    public void RowsTimesColumnsThatOverflow_AreRefused_EvenWithNoImages()
    {
        string path = Write("overflow.idx", IdxWriter.Build([0, 65536, 65536], []));
        (InvalidDataException error, _) = Refused(path, () => IdxReader.ReadImages(path));
        Assert.Contains("65536 x 65536", error.Message);
    }

    [Fact]
    public void TrailingJunkAfterTheGzipStream_IsRefused()
    {
        byte[] junk = [.. Gzip(IdxWriter.Labels(1, 2, 3)), .. "junk"u8.ToArray()];
        string path = Write("junk.idx.gz", junk);
        (InvalidDataException error, _) = Refused(path, () => IdxReader.ReadLabels(path));
        Assert.Contains("after the gzip stream", error.Message);

        byte[] two = [.. Gzip(IdxWriter.Labels(1, 2, 3)), .. Gzip([9, 9])];
        path = Write("two-members.idx.gz", two);
        Refused(path, () => IdxReader.ReadLabels(path));
    }

    [Fact]
    public void AHugeCsvLabel_IsAClearError_NotANegativeClassCount()
    {
        string path = Write("huge-label.csv", "1.5,0\n2.5,2147483647\n"u8.ToArray());
        (InvalidDataException error, _) = Refused(path, () => CsvDataset.Load(path, s_labelLast));
        Assert.Contains("2147483647", error.Message);
        Assert.Contains("ClassCount", error.Message);
    }

    [Fact]
    public async Task DevZeroAsCsv_EndsAtOnce()
    {
        if (!File.Exists("/dev/zero")) return;
        Assert.IsType<InvalidDataException>(await Within.Seconds(20, () => CsvDataset.Load("/dev/zero", s_labelLast)));
    }

    [Fact]
    public async Task NamedPipes_AreRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = _temp.File("pipe");
        using (Process mkfifo = Process.Start("mkfifo", path)!) mkfifo.WaitForExit();
        foreach (Action load in new Action[] { () => IdxReader.ReadImages(path), () => CsvDataset.Load(path, s_labelLast) })
        {
            var error = Assert.IsType<InvalidDataException>(await Within.Seconds(20, load));
            Assert.Contains("named pipe", error.Message);
        }
    }

    /// <summary>
    /// More than 100 generated bad files (IDX plain and gzip: truncations, lying headers, wrong magic, type and
    /// dimensions, trailing bytes, corrupted and joined gzip streams; CSV: ragged rows, non-numbers, non-finite
    /// values, bad labels, binary junk, empty files). Every one is an InvalidDataException naming the file, and none
    /// allocates more than 4 bytes per byte of the file plus 256 KiB.
    /// </summary>
    [Fact]
    public void GeneratedBadFiles_AreAllRefusedClearly_AndCheaply()
    {
        var random = new Random(1515);
        var cases = new List<(string Path, Action Load)>();
        byte[] images = IdxWriter.Images(5, 3, 4);
        byte[] labels = IdxWriter.Labels(1, 0, 2, 1, 0);
        int n = 0;
        string Next(string extension) => _temp.File($"bad{n++}{extension}");
        void Idx(byte[] content, bool isImages, bool gzip = false)
        {
            string path = Next(gzip ? ".idx.gz" : ".idx");
            File.WriteAllBytes(path, content);
            cases.Add((path, isImages ? () => IdxReader.ReadImages(path) : () => IdxReader.ReadLabels(path)));
        }

        // Truncations at every length of a labels file and at random lengths of an images file.
        for (int length = 0; length < labels.Length; length++) Idx(labels[..length], isImages: false);
        for (int i = 0; i < 20; i++) Idx(images[..random.Next(images.Length)], isImages: true);

        // Lying headers: each size replaced by something the data does not hold.
        foreach (int lie in new[] { int.MaxValue, 1 << 30, 65536, 6, 7, -1, int.MinValue })
        {
            for (int dimension = 0; dimension < 3; dimension++)
            {
                byte[] edited = (byte[])images.Clone();
                BinaryPrimitives.WriteInt32BigEndian(edited.AsSpan(4 + 4 * dimension), lie);
                Idx(edited, isImages: true);
            }
        }

        // Wrong magic, data type and dimension count; trailing bytes.
        for (int i = 0; i < 4; i++)
        {
            byte[] edited = (byte[])images.Clone();
            edited[i] ^= (byte)(1 << random.Next(8));
            Idx(edited, isImages: true);
        }

        Idx([.. images, 0], isImages: true);
        Idx([.. labels, .. new byte[100]], isImages: false);

        // Gzip: truncated, bit flips in the compressed body and trailer, junk after it, two streams joined.
        byte[] gzipped = Gzip(images);
        for (int i = 0; i < 12; i++) Idx(gzipped[..random.Next(gzipped.Length)], isImages: true, gzip: true);
        for (int i = 0; i < 12; i++)
        {
            byte[] flipped = (byte[])gzipped.Clone();
            flipped[10 + random.Next(flipped.Length - 10)] ^= (byte)(1 << random.Next(8));
            Idx(flipped, isImages: true, gzip: true);
        }

        Idx([.. gzipped, .. new byte[] { 0 }], isImages: true, gzip: true);
        Idx([.. gzipped, .. "trailing text"u8.ToArray()], isImages: true, gzip: true);
        Idx([.. gzipped, .. Gzip([1, 2, 3])], isImages: true, gzip: true);
        Idx(Gzip(IdxWriter.Build([int.MaxValue, 28, 28], new byte[1000])), isImages: true, gzip: true);
        Idx(Gzip(IdxWriter.Build([1 << 20], new byte[5000])), isImages: false, gzip: true);

        // CSV.
        string[] csv =
        [
            "", "\n\n\n", "a,b,c\n", "1,2,0\n3,4\n", "1,2,0\n3,4,1,5\n", "1,x,0\n", "1,,0\n", "1,NaN,0\n", "1,Infinity,0\n",
            "1,1e39,0\n", "1,2,-1\n", "1,2,1.5\n", "1,2,label\n", "1,2,2147483647\n", "1,2,99999999999\n", "1;2,0\n",
            "\"1,2,0\n", "1,2,0\n4,5,6,7,8\n", "0x10,2,0\n", "1,2,0\n1,2\n1,2,0\n",
        ];
        foreach (string text in csv)
        {
            string path = Next(".csv");
            File.WriteAllText(path, text);
            cases.Add((path, () => CsvDataset.Load(path, s_labelLast)));
        }

        for (int i = 0; i < 10; i++)
        {
            string path = Next(".csv");
            // A valid first row fixes three columns; binary junk follows.
            byte[] junk = new byte[1 + random.Next(2000)];
            random.NextBytes(junk);
            File.WriteAllBytes(path, [.. "1,2,0\n"u8.ToArray(), .. junk]);
            cases.Add((path, () => CsvDataset.Load(path, s_labelLast)));
        }

        var failures = new List<string>();
        foreach ((string path, Action load) in cases)
        {
            try
            {
                (_, long allocated) = Refused(path, load);
                AssertSmallAllocation(path, allocated);
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException)
            {
                failures.Add($"{Path.GetFileName(path)}: {exception.Message}");
            }
        }

        CampaignFigures.Record("Broken data files (IDX plain and gzip, CSV)", cases.Count, cases.Count - failures.Count);
        Assert.True(cases.Count >= 100, $"only {cases.Count} bad files");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
