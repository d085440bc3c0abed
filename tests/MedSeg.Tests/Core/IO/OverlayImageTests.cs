using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.IO;

public class OverlayImageTests
{
    [Fact]
    public void Draws_gray_image_with_coloured_mask_outlines()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("overlay.png");
        const int height = 7, width = 9;
        var image = new ushort[height * width];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (ushort)(i * 100);
        }
        var red = new byte[height * width];
        red[3 * width + 4] = 1; // a single pixel is all outline
        var green = new byte[height * width];
        for (int y = 1; y <= 5; y++)
        {
            for (int x = 1; x <= 3; x++)
            {
                green[y * width + x] = 1;
            }
        }

        OverlayImage.Write(path, image, height, width, [red, green]);

        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        Assert.Equal(MatType.CV_8UC3, mat.Type());
        Assert.Equal((height, width), (mat.Rows, mat.Cols));
        var centreOfRed = mat.At<Vec3b>(3, 4); // B, G, R
        Assert.Equal((40, 40, 230), (centreOfRed.Item0, centreOfRed.Item1, centreOfRed.Item2));
        var edgeOfGreen = mat.At<Vec3b>(1, 1);
        Assert.Equal((60, 210, 40), (edgeOfGreen.Item0, edgeOfGreen.Item1, edgeOfGreen.Item2));
        var insideGreen = mat.At<Vec3b>(3, 2);
        Assert.True(insideGreen.Item1 > insideGreen.Item2 && insideGreen.Item1 > insideGreen.Item0);
        var background = mat.At<Vec3b>(6, 8);
        Assert.Equal(background.Item0, background.Item1);
        Assert.Equal(background.Item1, background.Item2);
        Assert.Equal(255, background.Item0); // the brightest pixel is above the 99th percentile
        Assert.Equal(0, mat.At<Vec3b>(0, 0).Item0);
    }
}
