using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.IO;

public class ConfusionOverlayTests
{
    private const int Size = 40;
    private const int Zoom = 6; // 256 / 40

    // Class 1 (green, 40 210 60) on a black 40×40 slice: truth rows and columns 10–13, prediction 12–15, so
    // (12..13, 12..13) is true positive, (14..15, 14..15) false positive only, (10..11, 10..11) false negative only.
    private static (byte[] Png, ConfusionCrop? Crop) RenderSquares(int first, int last)
    {
        var image = new ushort[Size * Size];
        byte[] truth = new byte[Size * Size], pred = new byte[Size * Size];
        for (int y = first; y <= last; y++)
        {
            for (int x = first; x <= last; x++)
            {
                truth[y * Size + x] = y <= last - 2 && x <= last - 2 ? (byte)1 : (byte)0;
                pred[y * Size + x] = y >= first + 2 && x >= first + 2 ? (byte)1 : (byte)0;
            }
        }
        return ConfusionOverlay.Render(image, Size, Size, truth, pred, classIndex: 1);
    }

    private static (int R, int G, int B) At(Mat mat, int row, int column)
    {
        Vec3b pixel = mat.At<Vec3b>(row, column);
        return (pixel.Item2, pixel.Item1, pixel.Item0);
    }

    [Fact]
    public void True_positives_are_filled_false_positives_and_negatives_striped_in_the_class_colour()
    {
        (byte[] png, _) = RenderSquares(10, 15);

        using Mat mat = Cv2.ImDecode(png, ImreadModes.Color);
        Assert.Equal((Size * Zoom, Size * Zoom), (mat.Rows, mat.Cols));
        Assert.Equal(((byte, byte, byte))(40, 210, 60), OverlayImage.ClassColour(1));
        // True positive (12, 12): 60 % green over black.
        Assert.Equal((24, 126, 36), At(mat, 12 * Zoom, 12 * Zoom));
        // False positive (15, 15) → output (90, 90): "/" stripes two output pixels wide, x + y = 180 and 181 green, 182 white.
        Assert.Equal((40, 210, 60), At(mat, 90, 90));
        Assert.Equal((40, 210, 60), At(mat, 91, 90));
        Assert.Equal((255, 255, 255), At(mat, 92, 90));
        // False negative (10, 10) → output (60, 60): "\" stripes, x − y = 0 green, x − y = 2 black.
        Assert.Equal((40, 210, 60), At(mat, 60, 60));
        Assert.Equal((0, 0, 0), At(mat, 60, 62));
        // Outside both masks: the image (black), except the white frame of the enlarged region (rows and columns 6–19).
        Assert.Equal((0, 0, 0), At(mat, 30 * Zoom, 30 * Zoom));
        Assert.Equal((255, 255, 255), At(mat, 6 * Zoom, 12 * Zoom));
        Assert.Equal((0, 0, 0), At(mat, 7 * Zoom, 12 * Zoom));
    }

    [Fact]
    public void A_small_structure_is_also_shown_enlarged_with_a_margin()
    {
        (_, ConfusionCrop? crop) = RenderSquares(10, 15);

        // Truth and prediction span rows and columns 10–15; the margin is max(4, 6 / 2) = 4: rows and columns 6–19,
        // 14 pixels, enlarged 256 / 14 = 18 times.
        Assert.NotNull(crop);
        Assert.Equal((6, 6, 14, 14, 18), (crop.Top, crop.Left, crop.Height, crop.Width, crop.Zoom));
        using Mat mat = Cv2.ImDecode(crop.Png, ImreadModes.Color);
        Assert.Equal((14 * 18, 14 * 18), (mat.Rows, mat.Cols));
        Assert.Equal((24, 126, 36), At(mat, (12 - 6) * 18 + 5, (12 - 6) * 18 + 5)); // true positive (12, 12)
        Assert.Equal((0, 0, 0), At(mat, 0, 0)); // no frame inside the enlarged view
    }

    [Fact]
    public void A_large_structure_has_no_enlarged_view()
    {
        (_, ConfusionCrop? crop) = RenderSquares(5, 34);

        Assert.Null(crop);
    }
}
