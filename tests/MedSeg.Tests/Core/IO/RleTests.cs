using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

public class RleTests
{
    // A 2×3 image: pixels are numbered 1..6 row by row (C order), so row 0 is 1 2 3 and row 1 is 4 5 6.
    [Theory]
    [InlineData("1 1", new byte[] { 1, 0, 0, 0, 0, 0 })]
    [InlineData("6 1", new byte[] { 0, 0, 0, 0, 0, 1 })]
    [InlineData("4 3", new byte[] { 0, 0, 0, 1, 1, 1 })]
    [InlineData("1 2 5 2", new byte[] { 1, 1, 0, 0, 1, 1 })]
    [InlineData("3 2", new byte[] { 0, 0, 1, 1, 0, 0 })]
    [InlineData("1 6", new byte[] { 1, 1, 1, 1, 1, 1 })]
    public void Golden_cases_decode_and_encode(string rle, byte[] mask)
    {
        Assert.Equal(mask, Rle.Decode(rle, 2, 3, "test"));
        Assert.Equal(rle, Rle.Encode(mask));
    }

    [Fact]
    public void Starts_run_over_rows_in_c_order()
    {
        // 3 rows × 4 columns: row 1, column 2 is flat index 6, i.e. 1-based start 7.
        var mask = Rle.Decode("7 1", 3, 4, "test");
        Assert.Equal(1, mask[1 * 4 + 2]);
        Assert.Equal(1, mask.Sum(b => b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Blank_is_an_empty_mask(string rle)
    {
        Assert.All(Rle.Decode(rle, 2, 3, "test"), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Empty_mask_encodes_as_empty_string()
    {
        Assert.Equal("", Rle.Encode(new byte[12]));
    }

    [Fact]
    public void Any_nonzero_value_is_foreground()
    {
        Assert.Equal("2 2 6 1", Rle.Encode(new byte[] { 0, 255, 7, 0, 0, 1 }));
    }

    [Fact]
    public void Extra_whitespace_between_values_is_accepted()
    {
        Assert.Equal(new byte[] { 1, 1, 0, 0, 1, 1 }, Rle.Decode("  1  2\t5 2 ", 2, 3, "test"));
    }

    [Fact]
    public void Adjacent_runs_are_accepted()
    {
        Assert.Equal(new byte[] { 1, 1, 1, 0, 0, 0 }, Rle.Decode("1 1 2 2", 2, 3, "test"));
    }

    [Fact]
    public void Decode_into_a_span_clears_it_first()
    {
        var mask = new byte[] { 9, 9, 9, 9, 9, 9 };
        Rle.Decode("2 1", mask, 2, 3, "test");
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0 }, mask);
    }

    [Fact]
    public void Random_masks_round_trip()
    {
        var rng = new DeterministicRandom(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int height = 1 + rng.NextInt(40), width = 1 + rng.NextInt(40);
            var mask = new byte[height * width];
            double density = rng.NextDouble();
            byte value = 0;
            for (int i = 0; i < mask.Length; i++)
            {
                // Runs of random length, so long runs, single pixels and runs across row ends all occur.
                if (rng.NextDouble() < 0.3)
                {
                    value = rng.NextDouble() < density ? (byte)(1 + rng.NextInt(255)) : (byte)0;
                }
                mask[i] = value;
            }
            string rle = Rle.Encode(mask);
            var decoded = Rle.Decode(rle, height, width, "test");
            Assert.Equal(mask.Select(b => b != 0 ? (byte)1 : (byte)0), decoded);
        }
    }

    [Theory]
    [InlineData("1 2 3", "odd number of values")]
    [InlineData("1", "odd number of values")]
    [InlineData("1 a", "'a', which is not a valid whole number")]
    [InlineData("1.5 2", "'1.5', which is not a valid whole number")]
    [InlineData("1 99999999999999999999", "not a valid whole number")]
    [InlineData("3 0", "length 0")]
    [InlineData("3 -1", "length -1")]
    [InlineData("0 2", "start 0")]
    [InlineData("-2 2", "start -2")]
    [InlineData("5 1 2 1", "out of order or overlapping")]
    [InlineData("1 3 3 1", "out of order or overlapping")]
    [InlineData("5 3", "past the end of the 2×3 image")]
    [InlineData("7 1", "past the end")]
    public void Malformed_rle_is_rejected_with_the_context(string rle, string expected)
    {
        var error = Assert.Throws<MedSegException>(() => Rle.Decode(rle, 2, 3, "train.csv line 17"));
        Assert.Contains("train.csv line 17", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Span_of_the_wrong_length_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Rle.Decode("1 1", new byte[5], 2, 3, "test"));
    }
}
