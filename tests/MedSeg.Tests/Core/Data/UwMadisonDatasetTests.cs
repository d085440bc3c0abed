using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;
using static MedSeg.Tests.Core.Data.UwFolderBuilder;

namespace MedSeg.Tests.Core.Data;

public class UwMadisonDatasetTests
{
    [Fact]
    public void Loads_a_synthetic_dataset()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("data");
        var options = new UwMadisonSynthOptions(Cases: 3, MaxDays: 2, Slices: 12, Height: 48, Width: 64, Seed: 5);
        var summary = UwMadisonSynth.Write(root, options);

        var dataset = UwMadisonDataset.Load(root);

        Assert.True(dataset.HasLabels);
        Assert.Equal(["stomach", "small_bowel", "large_bowel"], dataset.Classes);
        Assert.Equal(Path.GetFullPath(root), dataset.Root);
        Assert.Equal(summary.Slices, dataset.SliceCount);
        Assert.Equal(summary.CaseDays, dataset.CaseDays.Count);
        var keys = dataset.CaseDays.Select(c => (c.Case, c.Day)).ToList();
        Assert.Equal(keys.OrderBy(k => k.Case).ThenBy(k => k.Day), keys);
        foreach (var caseDay in dataset.CaseDays)
        {
            Assert.Equal($"case{caseDay.Case}_day{caseDay.Day}", caseDay.Id);
            Assert.Equal(3.0, caseDay.SliceThickness);
            Assert.Equal(Enumerable.Range(1, 12), caseDay.Slices.Select(s => s.Id.Slice));
            Assert.All(caseDay.Slices, s => Assert.Equal(caseDay.Id, s.Id.CaseDayId));
        }
        var positives = new int[3];
        foreach (var slice in dataset.Slices)
        {
            Assert.Equal((48, 64), (slice.Height, slice.Width));
            Assert.Equal(3, slice.Rles.Count);
            for (int c = 0; c < 3; c++)
            {
                var mask = slice.DecodeMask(c);
                Assert.Equal(48 * 64, mask.Length);
                Assert.Equal(slice.Rles[c].Length > 0, mask.Any(b => b != 0));
                positives[c] += slice.Rles[c].Length > 0 ? 1 : 0;
            }
        }
        Assert.Equal(summary.Positives, positives);
        var image = dataset.Slices[0].ReadImage();
        Assert.Equal(48 * 64, image.Length);
    }

    [Fact]
    public void Csv_id_without_image_is_reported_with_its_line()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        WriteCsv(folder.Path,
            "id,class,segmentation",
            "case1_day0_slice_0001,stomach,",
            "case1_day0_slice_0001,small_bowel,1 2",
            "case1_day0_slice_0001,large_bowel,",
            "case1_day0_slice_0002,stomach,",
            "case1_day0_slice_0002,small_bowel,");

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));

        Assert.Contains($"{Path.Combine(folder.Path, "train.csv")} line 5", error.Message);
        Assert.Contains("case1_day0_slice_0002", error.Message);
    }

    [Fact]
    public void Slices_without_rows_and_missing_class_rows_are_empty_masks()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 2, 5, 1);
        AddImage(folder.Path, 2, 5, 2);
        AddImage(folder.Path, 2, 5, 3);
        WriteCsv(folder.Path,
            "id,class,segmentation",
            "case2_day5_slice_0002,large_bowel,6 5",
            "case2_day5_slice_0002,stomach,",
            "case2_day5_slice_0003,small_bowel,1 1");

        var dataset = UwMadisonDataset.Load(folder.Path);

        Assert.Equal(["large_bowel", "stomach", "small_bowel"], dataset.Classes);
        Assert.Equal(3, dataset.SliceCount);
        Assert.Equal(["", "", ""], dataset.Slices[0].Rles);
        Assert.Equal(["6 5", "", ""], dataset.Slices[1].Rles);
        Assert.Equal(["", "", "1 1"], dataset.Slices[2].Rles);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], dataset.Slices[1].DecodeMask(0));
        Assert.All(dataset.Slices[0].DecodeMask(2), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Given_classes_fix_the_order()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        WriteCsv(folder.Path, "id,class,segmentation", "case1_day0_slice_0001,large_bowel,2 2");

        var dataset = UwMadisonDataset.Load(folder.Path, ["stomach", "small_bowel", "large_bowel"]);

        Assert.Equal(["stomach", "small_bowel", "large_bowel"], dataset.Classes);
        Assert.Equal(["", "", "2 2"], dataset.Slices[0].Rles);
    }

    [Fact]
    public void Class_outside_the_given_classes_is_reported_with_its_line()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        WriteCsv(folder.Path, "id,class,segmentation", "case1_day0_slice_0001,liver,");

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path, ["stomach"]));
        Assert.Contains("line 2", error.Message);
        Assert.Contains("liver", error.Message);
    }

    [Theory]
    [InlineData("id,class,predicted", "line 1")]
    [InlineData("id,class,segmentation\ncase1_day0_slice_0001,stomach", "line 2")]
    [InlineData("id,class,segmentation\ncase1_day0_slice_0001,stomach,,extra", "line 2")]
    [InlineData("id,class,segmentation\ncase1_day0_slice_0001,stomach,\ncase1_day0_slice_0001,stomach,1 1", "line 3")]
    [InlineData("id,class,segmentation\n\n../case1_day0_slice_0001,stomach,", "line 3")]
    [InlineData("id,class,segmentation\ncase1_day0_slice_0001,,", "line 2")]
    [InlineData("", "train.csv")]
    public void Broken_csv_is_reported_with_its_line(string csv, string expected)
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        File.WriteAllText(Path.Combine(folder.Path, "train.csv"), csv);

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));
        Assert.Contains(Path.Combine(folder.Path, "train.csv"), error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Malformed_rle_is_reported_when_decoded_with_its_line()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        WriteCsv(folder.Path, "id,class,segmentation", "case1_day0_slice_0001,stomach,", "case1_day0_slice_0001,small_bowel,14 5");

        var slice = UwMadisonDataset.Load(folder.Path).Slices[0];

        var error = Assert.Throws<MedSegException>(() => slice.DecodeMask(1));
        Assert.Contains($"{Path.Combine(folder.Path, "train.csv")} line 3", error.Message);
        Assert.Contains("past the end", error.Message);
    }

    [Fact]
    public void Image_whose_size_differs_from_its_name_is_reported()
    {
        using var folder = new TempFolder();
        string path = AddImage(folder.Path, 1, 0, 1, height: 3, width: 5, nameOverride: "slice_0001_266_266_1.50_1.50.png");
        WriteCsv(folder.Path, "id,class,segmentation", "case1_day0_slice_0001,stomach,");

        var slice = UwMadisonDataset.Load(folder.Path).Slices[0];

        Assert.Equal((266, 266), (slice.Height, slice.Width));
        var error = Assert.Throws<MedSegException>(() => slice.ReadImage());
        Assert.Contains(path, error.Message);
        Assert.Contains("266×266", error.Message);
    }

    [Fact]
    public void Reads_image_pixels_row_major()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1, height: 2, width: 3, offset: 1000);
        WriteCsv(folder.Path, "id,class,segmentation", "case1_day0_slice_0001,stomach,");

        Assert.Equal(new ushort[] { 1000, 1001, 1002, 1003, 1004, 1005 }, UwMadisonDataset.Load(folder.Path).Slices[0].ReadImage());
    }

    [Fact]
    public void Test_folder_without_csv_is_unlabelled()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 9, 3, 2, split: "test");
        AddImage(folder.Path, 9, 3, 1, split: "test");
        AddImage(folder.Path, 4, 0, 1, split: "test");

        var dataset = UwMadisonDataset.Load(folder.Path, ["stomach", "small_bowel", "large_bowel"]);

        Assert.False(dataset.HasLabels);
        Assert.Equal(["stomach", "small_bowel", "large_bowel"], dataset.Classes);
        Assert.Equal(["case4_day0", "case9_day3"], dataset.CaseDays.Select(c => c.Id));
        Assert.Equal([1, 2], dataset.CaseDays[1].Slices.Select(s => s.Id.Slice));
        Assert.Empty(dataset.Slices[0].Rles);
        Assert.Throws<MedSegException>(() => dataset.Slices[0].DecodeMask(0));
        Assert.Empty(UwMadisonDataset.Load(folder.Path).Classes);
    }

    [Fact]
    public void Missing_folder_is_reported()
    {
        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load("/nonexistent/uw-data"));
        Assert.Contains("data folder /nonexistent/uw-data does not exist", error.Message);
    }

    [Fact]
    public void Folder_without_csv_or_images_is_reported()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));
        Assert.Contains(folder.Path, error.Message);
    }

    [Fact]
    public void Badly_named_image_is_reported()
    {
        using var folder = new TempFolder();
        string path = AddImage(folder.Path, 1, 0, 1, nameOverride: "slice_0001.png");
        WriteCsv(folder.Path, "id,class,segmentation");

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Case_day_folder_in_the_wrong_case_is_reported()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        Directory.CreateDirectory(Path.Combine(folder.Path, "train", "case1", "case2_day0", "scans"));
        WriteCsv(folder.Path, "id,class,segmentation");

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));
        Assert.Contains(Path.Combine(folder.Path, "train", "case1", "case2_day0"), error.Message);
    }

    [Fact]
    public void Two_images_of_one_slice_are_reported()
    {
        using var folder = new TempFolder();
        AddImage(folder.Path, 1, 0, 1);
        AddImage(folder.Path, 1, 0, 1, height: 4, width: 4);
        WriteCsv(folder.Path, "id,class,segmentation");

        var error = Assert.Throws<MedSegException>(() => UwMadisonDataset.Load(folder.Path));
        Assert.Contains("both slice 1 of case1_day0", error.Message);
    }
}
