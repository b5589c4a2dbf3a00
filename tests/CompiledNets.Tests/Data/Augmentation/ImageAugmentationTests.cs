using CompiledNets.Data;
using CompiledNets.Tests.Kernels;
using Xunit;

namespace CompiledNets.Tests.Data.Augmentation;

public class ImageAugmentationTests
{
    private const int Channels = 2, Height = 5, Width = 7;

    /// <summary>Every shift within +-3 and both flips against out[c, y, x] = in[c, y - dy, flip(x - dx)] or 0, exactly.</summary>
    [Fact]
    public void TransformMovesEveryPixelExactly()
    {
        float[] image = KernelTestSupport.RandomFloats(Channels * Height * Width, 1, 1f, 2f); // no zeros: a lost pixel shows
        float[] result = new float[image.Length];
        for (int dy = -3; dy <= 3; dy++)
            for (int dx = -3; dx <= 3; dx++)
                foreach (bool flip in new[] { false, true })
                {
                    var draw = new ImageAugmentationDraw(dx, dy, flip);
                    ImageAugmentation.Transform(image, result, Channels, Height, Width, draw);
                    for (int c = 0; c < Channels; c++)
                        for (int y = 0; y < Height; y++)
                            for (int x = 0; x < Width; x++)
                            {
                                int sy = y - dy, sx = x - dx;
                                float expected = sy < 0 || sy >= Height || sx < 0 || sx >= Width
                                    ? 0f
                                    : image[(c * Height + sy) * Width + (flip ? Width - 1 - sx : sx)];
                                Assert.True(expected == result[(c * Height + y) * Width + x], $"{draw}: pixel {c}/{y}/{x} is {result[(c * Height + y) * Width + x]}, expected {expected}");
                            }
                }
    }

    [Fact]
    public void AShiftMovesOnePixelWhereItShould()
    {
        float[] image = new float[1 * 4 * 4], result = new float[16];
        image[1 * 4 + 2] = 5f; // row 1, column 2
        ImageAugmentation.Transform(image, result, 1, 4, 4, new ImageAugmentationDraw(ShiftX: 1, ShiftY: -1, Flip: false));
        Assert.Equal(5f, result[0 * 4 + 3]); // one right, one up
        Assert.Equal(5f, result.Sum());
        ImageAugmentation.Transform(image, result, 1, 4, 4, new ImageAugmentationDraw(ShiftX: 2, ShiftY: 0, Flip: false));
        Assert.Equal(0f, result.Sum()); // moved out of the frame
    }

    [Fact]
    public void AFlipMirrorsEachRowAndTwoFlipsRestore()
    {
        float[] image = Enumerable.Range(0, Channels * Height * Width).Select(i => (float)i).ToArray();
        float[] once = new float[image.Length], twice = new float[image.Length];
        var flip = new ImageAugmentationDraw(0, 0, Flip: true);
        ImageAugmentation.Transform(image, once, Channels, Height, Width, flip);
        Assert.Equal(image.AsSpan(0, Width).ToArray().Reverse(), once.AsSpan(0, Width).ToArray());
        ImageAugmentation.Transform(once, twice, Channels, Height, Width, flip);
        Assert.Equal(image, twice);
    }

    [Fact]
    public void ApplyGivesEachSampleItsDraw()
    {
        var augmentation = new ImageAugmentation(Channels, Height, Width, maxShift: 2, horizontalFlips: true);
        const int batch = 9, size = Channels * Height * Width;
        float[] inputs = KernelTestSupport.RandomFloats(batch * size, 2), original = (float[])inputs.Clone();
        augmentation.Apply(inputs, batch, epoch: 3, batch: 4, seed: 17);
        float[] expected = new float[size];
        for (int i = 0; i < batch; i++)
        {
            ImageAugmentation.Transform(original.AsSpan(i * size, size), expected, Channels, Height, Width, augmentation.Draw(17, 3, 4, i));
            Assert.Equal(expected, inputs.AsSpan(i * size, size).ToArray());
        }
    }

    [Fact]
    public void SameSeedAndEpochGiveTheSameBatchAndOthersDiffer()
    {
        const int batch = 8, size = Channels * Height * Width;
        float[] data = KernelTestSupport.RandomFloats(batch * size, 3);
        float[] Run(int seed, int epoch, int batchIndex)
        {
            float[] inputs = (float[])data.Clone();
            new ImageAugmentation(Channels, Height, Width, 2, true).Apply(inputs, batch, epoch, batchIndex, seed);
            return inputs;
        }
        Assert.Equal(Run(5, 1, 2), Run(5, 1, 2));
        Assert.NotEqual(Run(5, 1, 2), Run(5, 2, 2));
        Assert.NotEqual(Run(5, 1, 2), Run(5, 1, 3));
        Assert.NotEqual(Run(5, 1, 2), Run(6, 1, 2));
    }

    /// <summary>Over many samples every shift in range occurs, none outside, and about half are flipped.</summary>
    [Fact]
    public void DrawsCoverTheRangeEvenly()
    {
        var augmentation = new ImageAugmentation(1, 8, 8, maxShift: 3, horizontalFlips: true);
        var shifts = new int[7];
        int flips = 0;
        const int draws = 4000;
        for (int i = 0; i < draws; i++)
        {
            ImageAugmentationDraw draw = augmentation.Draw(seed: 1, epoch: i / 100, batch: i % 10, sample: i);
            Assert.InRange(draw.ShiftX, -3, 3);
            Assert.InRange(draw.ShiftY, -3, 3);
            shifts[draw.ShiftX + 3]++;
            if (draw.Flip) flips++;
        }
        // Fixed seeds, so this cannot flake; a wrong range or a stuck draw misses by far more.
        Assert.All(shifts, count => Assert.InRange(count, draws / 7 * 0.8, draws / 7 * 1.2));
        Assert.InRange(flips, draws * 0.45, draws * 0.55);
        Assert.DoesNotContain(Enumerable.Range(0, 100), i => new ImageAugmentation(1, 8, 8, 3, horizontalFlips: false).Draw(1, 0, 0, i).Flip);
    }

    [Fact]
    public void AllocatesNothingPerBatch()
    {
        var augmentation = new ImageAugmentation(3, 9, 9, 2, true);
        float[] inputs = KernelTestSupport.RandomFloats(16 * 3 * 9 * 9, 4);
        Elementwise_AllocatesNothing(() => augmentation.Apply(inputs, 16, 1, 2, 3));
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(1, 4, 8, maxShift: 4, horizontalFlips: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(0, 4, 4, 1, false));
        var augmentation = new ImageAugmentation(1, 4, 4, 1, false);
        var error = Assert.Throws<ArgumentException>(() => augmentation.Apply(new float[33], 2, 0, 0, 0));
        Assert.Contains("1x4x4", error.Message);
        Assert.Throws<ArgumentException>(() => ImageAugmentation.Transform(new float[16], new float[15], 1, 4, 4, default));
    }

    private static void Elementwise_AllocatesNothing(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
