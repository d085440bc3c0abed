using MedSeg.Core;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Tests.Core.Preprocessing;

public class RoiCropTests
{
    private const int Height = 5, Width = 6;

    /// <summary>A dark 5×6 slice with <paramref name="value"/> in rows top..bottom and columns left..right.</summary>
    private static ReadOnlyMemory<ushort> Body(int top, int bottom, int left, int right, ushort value, ushort background = 1)
    {
        var image = new ushort[Height * Width];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                image[y * Width + x] = y >= top && y <= bottom && x >= left && x <= right ? value : background;
            }
        }
        return image;
    }

    [Fact]
    public void Drops_the_dark_border_rows_and_columns()
    {
        var box = RoiCrop.Parse("slice:0.1").Box([Body(1, 3, 2, 4, 100)], Height, Width);
        Assert.Equal(new CropBox(1, 2, 3, 3), box);
    }

    [Fact]
    public void One_box_covers_the_body_in_every_slice_of_the_case_day()
    {
        var box = RoiCrop.Parse("slice:0.1").Box([Body(1, 2, 2, 3, 100), Body(2, 4, 0, 2, 100)], Height, Width);
        Assert.Equal(new CropBox(1, 0, 4, 4), box);
    }

    [Fact]
    public void The_reference_maximum_is_the_slice_or_the_case_day()
    {
        // The dim slice's body (50) reaches 0.1 of its own maximum but not 0.1 of the case-day maximum (1000).
        ReadOnlyMemory<ushort>[] slices = [Body(0, 1, 0, 1, 50), Body(3, 4, 4, 5, 1000)];
        Assert.Equal(CropBox.Full(Height, Width), RoiCrop.Parse("slice:0.1").Box(slices, Height, Width));
        Assert.Equal(new CropBox(3, 4, 2, 2), RoiCrop.Parse("case-day:0.1").Box(slices, Height, Width));
    }

    [Fact]
    public void Without_crop_or_without_signal_the_box_is_the_full_slice()
    {
        Assert.Equal(CropBox.Full(Height, Width), RoiCrop.None.Box([Body(1, 2, 1, 2, 100)], Height, Width));
        Assert.Equal(CropBox.Full(Height, Width), RoiCrop.Parse("case-day:0.5").Box([Body(1, 2, 1, 2, 0, 0)], Height, Width));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("slice:0.1")]
    [InlineData("case-day:0.05")]
    public void Canonical_text_parses_back_to_itself(string text)
    {
        Assert.Equal(text, RoiCrop.Parse(text).ToString());
    }

    [Theory]
    [InlineData("slice")]
    [InlineData("slice:0")]
    [InlineData("slice:1")]
    [InlineData("volume:0.1")]
    [InlineData("none:0.1")]
    public void Invalid_text_names_the_key_and_the_valid_forms(string text)
    {
        var error = Assert.Throws<MedSegException>(() => RoiCrop.Parse(text));
        Assert.StartsWith($"roi_crop '{text}' is not valid", error.Message);
        Assert.Contains(RoiCrop.Forms, error.Message);
    }
}
