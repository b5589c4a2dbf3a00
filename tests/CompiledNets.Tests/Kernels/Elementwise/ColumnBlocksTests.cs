using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;
using static CompiledNets.Tests.Kernels.Elementwise.ElementwiseTestSupport;

namespace CompiledNets.Tests.Kernels.Elementwise;

/// <summary>Concatenation as column blocks, and slicing the operands' gradients back out.</summary>
public class ColumnBlocksTests
{
    public static TheoryData<int, int, int> Cases() => WidthsBatchesSizes();

    /// <summary>
    /// Three channels-last operands of 1, size and 3 channels over <paramref name="positions"/> positions concatenated
    /// along channels, against an index-by-index reference; then each sliced back out, written and accumulated.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ChannelsLastConcatenationInterleavesRows(int width, int batch, int positions)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        int[] widths = [1, positions, 3];
        AssertConcatenation(rows: batch * positions, widths, Seed(width, batch, positions));
    }

    /// <summary>Channels-first samples concatenate as one block per sample (rows = batch, width = channels x positions).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ChannelsFirstConcatenationIsABlockPerSample(int width, int batch, int positions)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        int[] channels = [2, 1, 3];
        int[] widths = channels.Select(c => c * positions).ToArray();
        float[][] operands = channels.Select((c, k) => RandomFloats(batch * c * positions, Seed(width, batch, positions, k))).ToArray();
        int total = channels.Sum();
        float[] target = new float[batch * total * positions];
        int offset = 0;
        for (int k = 0; k < operands.Length; k++)
        {
            ColumnBlocks.CopyToColumns(operands[k], target, batch, widths[k], total * positions, offset);
            offset += widths[k];
        }
        // Reference: channel c of the concatenation is channel c - (channels before) of its operand.
        for (int b = 0; b < batch; b++)
        {
            int channelBase = 0;
            for (int k = 0; k < operands.Length; k++)
            {
                for (int c = 0; c < channels[k]; c++)
                    for (int p = 0; p < positions; p++)
                        Assert.Equal(operands[k][(b * channels[k] + c) * positions + p], target[(b * total + channelBase + c) * positions + p]);
                channelBase += channels[k];
            }
        }
    }

    [Fact]
    public void OffsetsOutsideTheRowAndWrongLengthsAreClearErrors()
    {
        float[] block = new float[6], target = new float[15];
        Assert.Throws<ArgumentOutOfRangeException>(() => ColumnBlocks.CopyToColumns(block, target, 3, 2, 5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColumnBlocks.CopyFromColumns(target, block, 3, 2, 5, -1));
        var error = Assert.Throws<ArgumentException>(() => ColumnBlocks.CopyToColumns(new float[7], target, 3, 2, 5, 0));
        Assert.Contains("3 rows x 2 columns", error.Message);
        Assert.Throws<ArgumentException>(() => ColumnBlocks.AccumulateFromColumns(new float[14], block, 3, 2, 5, 0));
    }

    [Fact]
    public void AllocatesNothing()
    {
        float[] block = RandomFloats(17 * 3, 1), target = new float[17 * 8];
        AssertAllocatesNothing(() =>
        {
            ColumnBlocks.CopyToColumns(block, target, 17, 3, 8, 5);
            ColumnBlocks.CopyFromColumns(target, block, 17, 3, 8, 2);
            ColumnBlocks.AccumulateFromColumns(target, block, 17, 3, 8, 4);
        });
    }

    private static void AssertConcatenation(int rows, int[] widths, ulong seed)
    {
        int total = widths.Sum();
        float[][] operands = widths.Select((w, k) => RandomFloats(rows * w, seed + (ulong)k)).ToArray();
        float[] target = RandomFloats(rows * total, seed ^ 0xFF);
        int[] offsets = new int[widths.Length];
        for (int k = 1; k < widths.Length; k++) offsets[k] = offsets[k - 1] + widths[k - 1];
        for (int k = 0; k < operands.Length; k++) ColumnBlocks.CopyToColumns(operands[k], target, rows, widths[k], total, offsets[k]);
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < operands.Length; k++)
                for (int j = 0; j < widths[k]; j++)
                    Assert.Equal(operands[k][r * widths[k] + j], target[r * total + offsets[k] + j]);

        // Backward: each operand's gradient is its columns of the concatenation's gradient.
        float[] dy = RandomFloats(rows * total, seed ^ 0xAB);
        for (int k = 0; k < operands.Length; k++)
        {
            float[] written = RandomFloats(rows * widths[k], 5), start = RandomFloats(rows * widths[k], seed ^ 0xCD), accumulated = (float[])start.Clone();
            ColumnBlocks.CopyFromColumns(dy, written, rows, widths[k], total, offsets[k]);
            ColumnBlocks.AccumulateFromColumns(dy, accumulated, rows, widths[k], total, offsets[k]);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < widths[k]; j++)
                {
                    double g = dy[r * total + offsets[k] + j];
                    Assert.Equal((float)g, written[r * widths[k] + j]);
                    double expected = start[r * widths[k] + j] + g;
                    AssertClose(expected, accumulated[r * widths[k] + j], Math.Abs(expected), 0, $"operand {k} gradient at {r}/{j}");
                }
        }
    }
}
