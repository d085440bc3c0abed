using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Synthetic;

public class FolderSynthTests
{
    [Fact]
    public void Same_seed_writes_identical_files_and_another_seed_other_images()
    {
        using var folder = new TempFolder();
        var options = new FolderSynthOptions(Images: 3, Height: 24, Width: 32, Classes: 4, Seed: 7);
        FolderSynth.Write(folder.Combine("a"), options);
        FolderSynth.Write(folder.Combine("b"), options);
        FolderSynth.Write(folder.Combine("c"), options with { Seed = 8 });

        string[] Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Files(folder.Combine("a")), Files(folder.Combine("b")));
        Assert.Equal(7, Files(folder.Combine("a")).Length);
        foreach (var file in Files(folder.Combine("a")))
        {
            Assert.Equal(File.ReadAllBytes(folder.Combine("a", file)), File.ReadAllBytes(folder.Combine("b", file)));
        }
        Assert.NotEqual(File.ReadAllBytes(folder.Combine("a", "images", "image_0000.png")), File.ReadAllBytes(folder.Combine("c", "images", "image_0000.png")));
    }

    [Fact]
    public void Dataset_reads_back_as_rgb_images_with_class_indices_and_split_sub_folders()
    {
        using var folder = new TempFolder();
        FolderSynth.Write(folder.Path, new FolderSynthOptions(Height: 40, Width: 48, Classes: 5, Split: [3, 2, 1]));

        var layout = FolderLayout.Load(folder.Path);

        Assert.True(layout.IsSplit);
        Assert.Equal(["background", "class_1", "class_2", "class_3", "class_4"], layout.Labels!);
        Assert.Equal([3, 2, 1], new[] { layout.Train!, layout.Validation!, layout.Test! }.Select(p => p.Items.Count));
        Assert.Equal("image_0005", layout.PredictionSet.Items.Single().Id);
        var survey = FolderSurvey.Of([.. layout.Train!.Items, .. layout.Validation!.Items], layout.Labels);
        Assert.Equal(3, survey.Channels);
        var (image, mask) = layout.Train.Items[0].Read();
        Assert.Equal((40, 48, 3), (image.Height, image.Width, image.Channels));
        Assert.Contains(mask!, v => v > 0);
        Assert.Contains(mask!, v => v == 0);
        Assert.All(mask!, v => Assert.InRange(v, 0, 4));
    }

    [Fact]
    public void Shapes_of_one_class_share_a_colour_unlike_other_classes()
    {
        using var folder = new TempFolder();
        FolderSynth.Write(folder.Path, new FolderSynthOptions(Images: 6, Height: 64, Width: 64, Classes: 4));
        var sums = new double[4, 3];
        var counts = new long[4];
        foreach (var item in FolderDataset.Load(folder.Path).Items)
        {
            var (image, mask) = item.Read();
            for (int p = 0; p < mask!.Length; p++)
            {
                counts[mask[p]]++;
                for (int c = 0; c < 3; c++)
                {
                    sums[mask[p], c] += image.Pixels[3 * p + c];
                }
            }
        }
        var means = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, 3).Select(c => sums[k, c] / counts[k]).ToArray()).ToArray();
        for (int a = 0; a < 4; a++)
        {
            for (int b = a + 1; b < 4; b++)
            {
                double distance = Math.Sqrt(Enumerable.Range(0, 3).Sum(c => Math.Pow(means[a][c] - means[b][c], 2)));
                Assert.True(distance > 25, $"classes {a} and {b} have mean colours only {distance:F1} apart");
            }
        }
    }

    [Theory]
    [InlineData(0, null, "--images")]
    [InlineData(4, new[] { 0, 1, 1 }, "--split")]
    public void Bad_options_are_one_error_naming_the_option_and_write_nothing(int images, int[]? split, string option)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MedSegException>(() => FolderSynth.Write(folder.Combine("out"), new FolderSynthOptions(Images: images, Split: split)));
        Assert.Contains(option, error.Message);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }
}
