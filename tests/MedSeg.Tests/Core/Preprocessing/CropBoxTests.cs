using MedSeg.Core.Preprocessing;

namespace MedSeg.Tests.Core.Preprocessing;

public class CropBoxTests
{
    [Fact]
    public void Crop_cuts_the_rows_and_columns_of_the_box()
    {
        // 4×5 slice, value = row·10 + column.
        var slice = Enumerable.Range(0, 20).Select(i => (i / 5) * 10 + i % 5).ToArray();
        var box = new CropBox(1, 2, 2, 3);
        var cropped = new int[box.Pixels];
        box.Crop<int>(slice, 5, cropped);
        Assert.Equal([12, 13, 14, 22, 23, 24], cropped);
    }

    [Fact]
    public void Paste_back_puts_the_crop_in_place_with_zeros_outside()
    {
        var box = new CropBox(2, 1, 1, 2);
        var full = Enumerable.Repeat((byte)9, 12).ToArray();
        box.PasteBack<byte>([5, 6], full, 4);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0 }, full);
    }

    [Fact]
    public void Crop_then_paste_back_of_a_mask_inside_the_box_is_identity()
    {
        const int height = 7, width = 6;
        var box = new CropBox(1, 2, 5, 3);
        var mask = new byte[height * width];
        foreach (var (y, x) in new[] { (1, 2), (2, 3), (3, 4), (5, 2), (5, 4), (4, 3) })
        {
            mask[y * width + x] = 1;
        }
        var cropped = new byte[box.Pixels];
        box.Crop<byte>(mask, width, cropped);
        var restored = new byte[mask.Length];
        box.PasteBack<byte>(cropped, restored, width);
        Assert.Equal(mask, restored);
    }

    [Fact]
    public void A_box_outside_the_slice_is_refused()
    {
        var box = new CropBox(3, 0, 2, 2);
        Assert.Throws<ArgumentException>(() => box.Crop<byte>(new byte[16], 4, new byte[4]));
        Assert.True(CropBox.Full(4, 4).Covers(4, 4));
        Assert.False(box.Covers(4, 4));
    }
}
