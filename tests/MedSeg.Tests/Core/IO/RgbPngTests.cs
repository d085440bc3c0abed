using MedSeg.Core;
using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.IO;

public class RgbPngTests
{
    [Fact]
    public void Rgb_values_round_trip_exactly_in_r_g_b_order()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("rgb.png");
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 254, 128, 127, 0, 0, 0];

        RgbPng.Write(path, rgb, 2, 3);

        Assert.Equal(rgb, RgbPng.Read(path, out int height, out int width));
        Assert.Equal((2, 3), (height, width));
        // Other tools see a red first pixel: OpenCV itself stores it as B, G, R = 0, 0, 255.
        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        Assert.Equal(MatType.CV_8UC3, mat.Type());
        Assert.Equal(new Vec3b(0, 0, 255), mat.At<Vec3b>(0, 0));
        Assert.Equal(new Vec3b(3, 2, 1), mat.At<Vec3b>(1, 0));
    }

    [Fact]
    public void Raster_image_reads_gray_8_and_16_bit_and_rgb()
    {
        using var folder = new TempFolder();
        string gray16 = folder.Combine("g16.png"), gray8 = folder.Combine("g8.png"), rgb = folder.Combine("rgb.png");
        Png16.Write(gray16, [0, 1, 65535, 4095], 2, 2);
        using (var mat = new Mat(1, 2, MatType.CV_8UC1))
        {
            mat.Set(0, 0, (byte)7);
            mat.Set(0, 1, (byte)255);
            Cv2.ImWrite(gray8, mat);
        }
        RgbPng.Write(rgb, [10, 20, 30], 1, 1);

        Assert.Equal(new ushort[] { 0, 1, 65535, 4095 }, RasterImage.Read(gray16).Pixels);
        Assert.Equal(16, RasterImage.Read(gray16).BitDepth);
        var eight = RasterImage.Read(gray8);
        Assert.Equal((1, 2, 1, 8), (eight.Height, eight.Width, eight.Channels, eight.BitDepth));
        Assert.Equal(new ushort[] { 7, 255 }, eight.Pixels);
        var colour = RasterImage.Read(rgb);
        Assert.Equal(3, colour.Channels);
        Assert.Equal(new ushort[] { 10, 20, 30 }, colour.Pixels);
    }

    [Fact]
    public void Gray_or_corrupt_file_is_not_rgb_and_names_the_file()
    {
        using var folder = new TempFolder();
        string gray = folder.Combine("gray.png"), broken = folder.Combine("broken.png");
        Png16.Write(gray, [1, 2], 1, 2);
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0]);

        Assert.Contains(gray, Assert.Throws<MedSegException>(() => RgbPng.Read(gray, out _, out _)).Message);
        var error = Assert.Throws<MedSegException>(() => RasterImage.Read(broken));
        Assert.Contains(broken, error.Message);
        Assert.Contains("RGB", error.Message);
    }
}
