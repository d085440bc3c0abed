using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class EmptyPolicyTests
{
    [Fact]
    public void Named_policies_report_their_values()
    {
        Assert.True(double.IsNaN(EmptyPolicy.Skip.Value));
        Assert.True(EmptyPolicy.Skip.Skips);
        Assert.Equal(0, EmptyPolicy.Zero.Value);
        Assert.Equal(1, EmptyPolicy.One.Value);
        Assert.Equal(double.PositiveInfinity, EmptyPolicy.Infinity.Value);
        Assert.Equal(42.5, EmptyPolicy.Constant(42.5).Value);
        Assert.False(EmptyPolicy.Constant(42.5).Skips);
    }

    [Theory]
    [InlineData("skip", double.NaN)]
    [InlineData("NaN", double.NaN)]
    [InlineData("zero", 0)]
    [InlineData("0", 0)]
    [InlineData("One", 1)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData(" 0.75 ", 0.75)]
    public void Parse_reads_names_and_numbers(string text, double expected)
    {
        Assert.Equal(expected, EmptyPolicy.Parse(text).Value);
    }

    [Fact]
    public void Parse_rejects_other_text()
    {
        var error = Assert.Throws<MedSegException>(() => EmptyPolicy.Parse("sometimes"));
        Assert.Contains("sometimes", error.Message);
    }

    [Fact]
    public void Skip_equals_skip_and_prints_its_name()
    {
        Assert.Equal(EmptyPolicy.Skip, EmptyPolicy.Parse("skip"));
        Assert.Equal("skip", EmptyPolicy.Skip.ToString());
        Assert.Equal("0.5", EmptyPolicy.Constant(0.5).ToString());
    }
}
