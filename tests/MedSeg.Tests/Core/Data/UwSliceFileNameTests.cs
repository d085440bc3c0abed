using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Data;

public class UwSliceFileNameTests
{
    [Fact]
    public void Parses_width_height_and_spacing()
    {
        var name = UwSliceFileName.Parse("slice_0012_360_310_1.63_1.50.png");

        Assert.Equal(new UwSliceFileName(12, 360, 310, 1.63, 1.5), name);
        Assert.Equal("slice_0012_360_310_1.63_1.50.png", name.Format());
    }

    [Fact]
    public void Reads_only_the_file_name_of_a_path()
    {
        Assert.Equal(
            new UwSliceFileName(1, 266, 266, 1.5, 1.5),
            UwSliceFileName.Parse("/data/train/case1/case1_day0/scans/slice_0001_266_266_1.50_1.50.png"));
    }

    [Fact]
    public void Formats_spacing_with_two_decimals()
    {
        Assert.Equal("slice_0144_234_234_1.50_1.63.png", new UwSliceFileName(144, 234, 234, 1.5, 1.634).Format());
    }

    [Theory]
    [InlineData("slice_0001_266_266.png")]
    [InlineData("slice_0001_266_266_1.50_1.50")]
    [InlineData("slice_0001_266_266_1.50_1.50.PNG.png")]
    [InlineData("slice_1_266_266_1.50_1.50.png")]
    [InlineData("slice_0001_0_266_1.50_1.50.png")]
    [InlineData("slice_0001_266_266_0.00_1.50.png")]
    [InlineData("slice_0001_266_266_1,50_1.50.png")]
    [InlineData("slice_0001_266_266_1_1.png")]
    [InlineData("image.png")]
    public void Bad_names_are_rejected_naming_the_file(string name)
    {
        var error = Assert.Throws<MedSegException>(() => UwSliceFileName.Parse(name));
        Assert.Contains(name, error.Message);
        Assert.False(UwSliceFileName.TryParse(name, out _));
    }
}
