using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Synthetic;

public class UwMadisonSynthTests
{
    private static readonly UwMadisonSynthOptions Small = new(Cases: 2, MaxDays: 2, Slices: 10, Height: 64, Width: 80, Seed: 3);

    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_differs()
    {
        using var folder = new TempFolder();
        string a = folder.Combine("a"), b = folder.Combine("b"), c = folder.Combine("c");
        UwMadisonSynth.Write(a, Small);
        UwMadisonSynth.Write(b, Small);
        UwMadisonSynth.Write(c, Small with { Seed = 4 });

        var filesA = Files(a);
        Assert.Equal(filesA, Files(b));
        foreach (string file in filesA)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
        }
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, "train.csv")), File.ReadAllBytes(Path.Combine(c, "train.csv")));
    }

    [Fact]
    public void Writes_the_uw_madison_layout()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        var summary = UwMadisonSynth.Write(root, Small);

        Assert.Equal(["stomach", "small_bowel", "large_bowel"], summary.Classes);
        Assert.Equal(2, summary.Cases);
        Assert.Equal(summary.CaseDays * 10, summary.Slices);
        Assert.Equal(summary.Slices, Directory.GetFiles(Path.Combine(root, "train"), "*.png", SearchOption.AllDirectories).Length);
        string[] lines = File.ReadAllLines(Path.Combine(root, "train.csv"));
        Assert.Equal("id,class,segmentation", lines[0]);
        Assert.Equal(1 + 3 * summary.Slices, lines.Length);
        // Rows go slice by slice, classes in the fixed order.
        Assert.Matches(@"^case\d+_day\d+_slice_0001,stomach,", lines[1]);
        Assert.Matches(@"^case\d+_day\d+_slice_0001,small_bowel,", lines[2]);
        Assert.Matches(@"^case\d+_day\d+_slice_0001,large_bowel,", lines[3]);
        Assert.Matches(@"^case\d+_day\d+_slice_0002,stomach,", lines[4]);
        var image = Directory.GetFiles(Path.Combine(root, "train"), "slice_0001_*.png", SearchOption.AllDirectories)[0];
        Assert.Matches(@"^slice_0001_80_64_1\.(50|63)_1\.(50|63)\.png$", Path.GetFileName(image));
        Assert.Equal([Path.GetFileName(root)], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Every_class_appears_some_end_slices_are_empty_and_masks_do_not_overlap()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        var summary = UwMadisonSynth.Write(root, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 24, Height: 96, Width: 112, Seed: 1));
        var dataset = UwMadisonDataset.Load(root);

        Assert.All(summary.Positives, p => Assert.InRange(p, 1, summary.Slices - 1));
        foreach (var caseDay in dataset.CaseDays)
        {
            Assert.All(new[] { caseDay.Slices[0], caseDay.Slices[^1] }, s => Assert.All(s.Rles, rle => Assert.Equal("", rle)));
            foreach (var slice in caseDay.Slices)
            {
                var masks = Enumerable.Range(0, 3).Select(slice.DecodeMask).ToArray();
                for (int i = 0; i < masks[0].Length; i++)
                {
                    Assert.True(masks[0][i] + masks[1][i] + masks[2][i] <= 1);
                }
            }
        }
    }

    [Fact]
    public void Images_look_like_mri_with_organs_distinct_from_their_surroundings()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        UwMadisonSynth.Write(root, new UwMadisonSynthOptions(Cases: 1, MaxDays: 1, Slices: 20, Height: 96, Width: 112, Seed: 2));
        var dataset = UwMadisonDataset.Load(root);

        var middle = dataset.Slices[10].ReadImage();
        Assert.InRange(middle.Max(), 8000, 40000);
        Assert.True(middle[0] < 2000, "the corner is background");
        // Organ walls are dark against the bright fat around them: pixels just inside and just outside a mask
        // differ, so the masks follow visible edges.
        double inside = 0, outside = 0;
        int count = 0;
        foreach (var slice in dataset.Slices)
        {
            var image = slice.ReadImage();
            for (int c = 0; c < 3; c++)
            {
                var mask = slice.DecodeMask(c);
                (double inRing, double outRing, int n) = EdgeRings(image, mask, slice.Height, slice.Width);
                inside += inRing;
                outside += outRing;
                count += n;
            }
        }
        Assert.True(count > 0);
        Assert.True(Math.Abs(inside - outside) / count > 1000, $"mean edge contrast {Math.Abs(inside - outside) / count:F0}");
    }

    [Fact]
    public void Refuses_a_non_empty_folder_and_leaves_it_alone()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "mine");

        var error = Assert.Throws<MedSegException>(() => UwMadisonSynth.Write(root, Small));

        Assert.Contains(root, error.Message);
        Assert.Contains("empty", error.Message);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Writes_into_an_existing_empty_folder()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        Directory.CreateDirectory(root);

        UwMadisonSynth.Write(root, Small with { Cases = 1, MaxDays = 1, Slices = 2 });

        Assert.True(File.Exists(Path.Combine(root, "train.csv")));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData(0, 2, 10, 64, "--cases")]
    [InlineData(1, 0, 10, 64, "--days")]
    [InlineData(1, 1, 0, 64, "--slices")]
    [InlineData(1, 1, 10, 8, "--size")]
    public void Out_of_range_options_are_rejected_naming_the_flag(int cases, int days, int slices, int size, string flag)
    {
        using var folder = new TempFolder();
        var options = new UwMadisonSynthOptions(cases, days, slices, size, size);
        var error = Assert.Throws<MedSegException>(() => UwMadisonSynth.Write(folder.Combine("data"), options));
        Assert.Contains(flag, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Reports_progress_per_case_day()
    {
        using var folder = new TempFolder();
        var lines = new List<string>();
        var summary = UwMadisonSynth.Write(folder.Combine("data"), Small, lines.Add);
        Assert.Equal(summary.CaseDays, lines.Count);
    }

    private static List<string> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Across every left–right mask edge, the sums of the pixel values two pixels inside and two pixels outside
    /// (skipping the blurred edge itself), and the number of edges.
    /// </summary>
    private static (double Inside, double Outside, int Count) EdgeRings(ushort[] image, byte[] mask, int height, int width)
    {
        double inside = 0, outside = 0;
        int count = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 1; x + 2 < width; x++)
            {
                int i = y * width + x;
                if (mask[i] != mask[i + 1])
                {
                    (int inner, int outer) = mask[i] != 0 ? (i - 1, i + 2) : (i + 2, i - 1);
                    inside += image[inner];
                    outside += image[outer];
                    count++;
                }
            }
        }
        return (inside, outside, count);
    }
}
