using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Data;

public class UwSliceIdTests
{
    [Fact]
    public void Parses_and_formats_the_kaggle_id()
    {
        var id = UwSliceId.Parse("case123_day20_slice_0001", "test");

        Assert.Equal(new UwSliceId(123, 20, 1), id);
        Assert.Equal("case123_day20_slice_0001", id.ToString());
        Assert.Equal("case123_day20", id.CaseDayId);
    }

    [Theory]
    [InlineData(2, 0, 144, "case2_day0_slice_0144")]
    [InlineData(7, 13, 12345, "case7_day13_slice_12345")]
    public void Slice_is_padded_to_four_digits(int caseNumber, int day, int slice, string text)
    {
        Assert.Equal(text, new UwSliceId(caseNumber, day, slice).ToString());
        Assert.Equal(new UwSliceId(caseNumber, day, slice), UwSliceId.Parse(text, "test"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("case1_day0_slice_1")]
    [InlineData("case01_day0_slice_0001")]
    [InlineData("case1_day00_slice_0001")]
    [InlineData("case1_day0_slice_00001")]
    [InlineData("case1_day0_slice_0001.png")]
    [InlineData("Case1_day0_slice_0001")]
    [InlineData(" case1_day0_slice_0001")]
    [InlineData("../case1_day0_slice_0001")]
    [InlineData("case1_day0/../../slice_0001")]
    [InlineData("case99999999999_day0_slice_0001")]
    public void Non_canonical_ids_are_rejected_naming_the_source(string text)
    {
        var error = Assert.Throws<MedSegException>(() => UwSliceId.Parse(text, "train.csv line 4"));
        Assert.Contains("train.csv line 4", error.Message);
        Assert.Contains("caseN_dayM_slice_XXXX", error.Message);
    }
}
