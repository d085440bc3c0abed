using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.Data;

public class FolderDatasetTests
{
    [Fact]
    public void Images_and_masks_pair_by_file_stem()
    {
        using var folder = new TempFolder();
        string root = folder.Path;
        RgbPng.Write(folder.Combine("images", "b.png"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2, 2);
        WriteMask(folder.Combine("masks", "b.png"), 2, 2, [0, 1, 2, 0]);
        using (var mat = new Mat(2, 2, MatType.CV_8UC1, Scalar.All(9)))
        {
            Cv2.ImWrite(folder.Combine("images", "a.jpg"), mat);
        }
        WriteMask(folder.Combine("masks", "a.png"), 2, 2, [0, 0, 0, 1]);
        File.WriteAllLines(folder.Combine("classes.txt"), ["background", "road", "car"]);

        var dataset = FolderDataset.Load(root);

        Assert.Equal(["a", "b"], dataset.Items.Select(i => i.Id));
        Assert.Equal(["background", "road", "car"], dataset.Labels!);
        Assert.True(dataset.HasMasks);
        var (image, mask) = dataset.Items[1].Read();
        Assert.Equal(3, image.Channels);
        Assert.Equal(Enumerable.Range(1, 12).Select(v => (ushort)v), image.Pixels);
        Assert.Equal(new ushort[] { 0, 1, 2, 0 }, mask);
        Assert.Equal(1, dataset.Items[0].ReadImage().Channels);
    }

    [Theory]
    [InlineData("size", "is 3×2 but its image")]
    [InlineData("class", "value 3 at row 1, column 1")]
    [InlineData("colour", "3 channels")]
    [InlineData("orphan", "has no image")]
    [InlineData("unpaired", "has no mask")]
    [InlineData("jpeg-mask", "is not a mask")]
    [InlineData("duplicate", "keep one of them")]
    public void Broken_pair_is_one_clear_error(string damage, string expected)
    {
        using var folder = new TempFolder();
        Png16.Write(folder.Combine("images", "x.png"), [1, 2, 3, 4], 2, 2);
        File.WriteAllLines(folder.Combine("classes.txt"), ["background", "road", "car"]);
        string mask = folder.Combine("masks", "x.png");
        switch (damage)
        {
            case "size": WriteMask(mask, 2, 3, [0, 0, 0, 0, 0, 0]); break;
            case "class": WriteMask(mask, 2, 2, [0, 0, 0, 3]); break;
            case "colour": RgbPng.Write(mask, new byte[12], 2, 2); break;
            case "orphan": WriteMask(mask, 2, 2, [0, 0, 0, 0]); WriteMask(folder.Combine("masks", "y.png"), 2, 2, [0, 0, 0, 0]); break;
            case "unpaired": Directory.CreateDirectory(folder.Combine("masks")); break;
            case "jpeg-mask": WriteMask(mask, 2, 2, [0, 0, 0, 0]); File.WriteAllBytes(folder.Combine("masks", "y.jpg"), [1]); break;
            case "duplicate": WriteMask(mask, 2, 2, [0, 0, 0, 0]); File.Copy(folder.Combine("images", "x.png"), folder.Combine("images", "x.bmp")); break;
        }

        var error = Assert.Throws<MedSegException>(() =>
        {
            foreach (var item in FolderDataset.Load(folder.Path).Items)
            {
                item.Read();
            }
        });

        Assert.Contains(expected, error.Message);
        Assert.Contains(folder.Path, error.Message);
    }

    [Theory]
    [InlineData("scan", true, "is a 16-bit image with 320 different values; masks must be 8-bit grayscale PNGs of class indices (0 = background) — is a scan in masks/?")]
    [InlineData("scan", false, "is a 16-bit image with 320 different values")]
    [InlineData("16-bit", true, "is a 16-bit image; masks must be 8-bit grayscale PNGs of class indices (0 = background), so save it as 8-bit.")]
    [InlineData("rgba", false, "has 4 channels, but a mask holds one class index per pixel")]
    [InlineData("photo", true, "holds 256 different values, like an image rather than class indices")]
    [InlineData("photo", false, "is a scan in masks/?")]
    [InlineData("index64", false, "has value 64 at row 15, column 19, but without classes.txt a mask holds class indices 0 to 63")]
    [InlineData("binary255", true, "has value 255 at row 0, column 1, but classes.txt defines classes 0 to 2")]
    public void Mask_that_is_not_8_bit_class_indices_is_one_error_naming_it(string kind, bool classesTxt, string expected)
    {
        using var folder = new TempFolder();
        Png16.Write(folder.Combine("images", "x.png"), new ushort[16 * 20], 16, 20);
        if (classesTxt)
        {
            File.WriteAllLines(folder.Combine("classes.txt"), ["background", "road", "car"]);
        }
        BadMasks.Write(folder.Combine("masks", "x.png"), kind, 16, 20);
        var item = FolderDataset.Load(folder.Path).Items.Single();

        var error = Assert.Throws<MedSegException>(() => item.Read());

        Assert.Contains(expected, error.Message);
        Assert.StartsWith($"Mask {folder.Combine("masks", "x.png")} ", error.Message);
        Assert.Equal(error.Message, Assert.Throws<MedSegException>(() => item.ReadMask()).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_binary_mask_drawn_as_0_and_255_reads_as_background_and_class_1(bool twoClassesTxt)
    {
        using var folder = new TempFolder();
        Png16.Write(folder.Combine("images", "x.png"), new ushort[16 * 20], 16, 20);
        if (twoClassesTxt)
        {
            File.WriteAllLines(folder.Combine("classes.txt"), ["background", "polyp"]);
        }
        BadMasks.Write(folder.Combine("masks", "x.png"), "binary255", 16, 20);

        var (_, mask) = FolderDataset.Load(folder.Path).Items.Single().Read();

        Assert.Equal(Enumerable.Range(0, 16 * 20).Select(i => i % 2), mask!.Select(v => (int)v));
    }

    [Fact]
    public void Without_classes_txt_a_mask_indexes_up_to_63_classes()
    {
        using var folder = new TempFolder();
        Png16.Write(folder.Combine("images", "x.png"), new ushort[64], 8, 8);
        WriteMask(folder.Combine("masks", "x.png"), 8, 8, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());

        var (_, mask) = FolderDataset.Load(folder.Path).Items.Single().Read();

        Assert.Equal(63, mask!.Max());
        Assert.Equal(64, FolderMask.UnnamedClassLimit);
    }

    [Fact]
    public void Without_masks_the_images_are_unlabelled_and_without_images_it_is_an_error()
    {
        using var folder = new TempFolder();
        Assert.Contains("no images/ folder", Assert.Throws<MedSegException>(() => FolderDataset.Load(folder.Path)).Message);
        Png16.Write(folder.Combine("images", "x.png"), [1, 2, 3, 4], 2, 2);

        var dataset = FolderDataset.Load(folder.Path);

        Assert.False(dataset.HasMasks);
        Assert.Null(dataset.Labels);
        Assert.Null(dataset.Items.Single().Read().Mask);
    }

    /// <summary>Writes an 8-bit grayscale mask of class indices.</summary>
    internal static void WriteMask(string path, int height, int width, byte[] values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(height, width, MatType.CV_8UC1);
        for (int i = 0; i < values.Length; i++)
        {
            mat.Set(i / width, i % width, values[i]);
        }
        Cv2.ImWrite(path, mat);
    }
}
