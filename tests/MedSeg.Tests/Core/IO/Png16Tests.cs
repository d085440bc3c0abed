using MedSeg.Core;
using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.IO;

public class Png16Tests
{
    [Fact]
    public void Sixteen_bit_values_round_trip_exactly()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("slice.png");
        ushort[] pixels = [0, 1, 1000, 65535, 255, 256, 32768, 65534, 12345, 2];
        Png16.Write(path, pixels, 2, 5);

        var read = Png16.Read(path, out int height, out int width);

        Assert.Equal((2, 5), (height, width));
        Assert.Equal(pixels, read);
        Assert.Equal(["slice.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Written_file_is_a_16_bit_grayscale_png_for_other_tools()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("slice.png");
        Png16.Write(path, [1000, 2000, 3000, 4000, 5000, 6000], 3, 2);

        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        Assert.Equal(MatType.CV_16UC1, mat.Type());
        Assert.Equal((3, 2), (mat.Rows, mat.Cols));
        Assert.Equal(4000, mat.At<ushort>(1, 1));
        Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void Eight_bit_grayscale_is_widened_without_rescaling()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("eight.png");
        using (var mat = new Mat(2, 2, MatType.CV_8UC1))
        {
            mat.Set(0, 0, (byte)0);
            mat.Set(0, 1, (byte)1);
            mat.Set(1, 0, (byte)128);
            mat.Set(1, 1, (byte)255);
            Cv2.ImWrite(path, mat);
        }

        Assert.Equal(new ushort[] { 0, 1, 128, 255 }, Png16.Read(path, out _, out _));
    }

    [Fact]
    public void Colour_image_is_rejected_naming_the_file()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("colour.png");
        using (var mat = new Mat(2, 2, MatType.CV_8UC3, Scalar.Red))
        {
            Cv2.ImWrite(path, mat);
        }

        var error = Assert.Throws<MedSegException>(() => Png16.Read(path, out _, out _));
        Assert.Contains(path, error.Message);
        Assert.Contains("3 channel(s)", error.Message);
    }

    [Fact]
    public void Corrupt_file_is_rejected_naming_the_file()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("broken.png");
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5]);

        var error = Assert.Throws<MedSegException>(() => Png16.Read(path, out _, out _));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Empty_and_missing_files_are_rejected_naming_the_file()
    {
        using var folder = new TempFolder();
        string empty = folder.Combine("empty.png");
        File.WriteAllBytes(empty, []);
        Assert.Contains(empty, Assert.Throws<MedSegException>(() => Png16.Read(empty, out _, out _)).Message);
        string missing = folder.Combine("missing.png");
        Assert.Contains(missing, Assert.Throws<MedSegException>(() => Png16.Read(missing, out _, out _)).Message);
    }

    [Fact]
    public void Write_replaces_an_existing_file()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("slice.png");
        Png16.Write(path, [1, 2], 1, 2);
        Png16.Write(path, [3, 4, 5, 6], 2, 2);

        Assert.Equal(new ushort[] { 3, 4, 5, 6 }, Png16.Read(path, out _, out _));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Pixel_count_must_match_the_size()
    {
        Assert.Throws<ArgumentException>(() => Png16.Encode(new ushort[5], 2, 3));
    }
}
