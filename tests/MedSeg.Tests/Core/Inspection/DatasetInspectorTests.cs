using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Inspection;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.Data;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Inspection;

public class DatasetInspectorTests
{
    private static readonly UwMadisonSynthOptions Small = new(Cases: 2, MaxDays: 2, Slices: 12, Height: 48, Width: 56, Seed: 11);

    [Fact]
    public void Uw_madison_summary_counts_cases_days_slices_and_positive_slices()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("uw");
        var synth = UwMadisonSynth.Write(root, Small);

        var summary = DatasetInspector.Inspect(root);

        Assert.Equal(DatasetFormat.UwMadison, summary.Format);
        Assert.Equal(["stomach", "small_bowel", "large_bowel"], summary.Classes);
        Assert.Equal((synth.Cases, synth.CaseDays, (long)synth.Slices), (summary.Cases, summary.Volumes, summary.Slices));
        Assert.Equal(synth.Positives, summary.Positives);
        Assert.True(summary.Labelled);
        var dataset = UwMadisonDataset.Load(root);
        Assert.Equal(dataset.CaseDays.Select(c => c.Id), summary.Items.Select(i => i.Id));
        foreach (var (item, caseDay) in summary.Items.Zip(dataset.CaseDays))
        {
            Assert.Equal([12, 48, 56], item.Shape);
            Assert.Equal([3.0, caseDay.Slices[0].SpacingY, caseDay.Slices[0].SpacingX], item.Spacing!);
            var pixels = caseDay.Slices.SelectMany(s => s.ReadImage()).ToArray();
            Assert.Equal((pixels.Min(), pixels.Max()), ((ushort)item.Min, (ushort)item.Max));
        }
    }

    [Fact]
    public void Nnunet_summary_of_the_same_synthetic_scans_matches_the_uw_madison_one()
    {
        using var folder = new TempFolder();
        UwMadisonSynth.Write(folder.Combine("uw"), Small);
        var synth = NnUnetSynth.Write(folder.Combine("raw"), Small, datasetId: 7);
        string root = folder.Combine("raw", "Dataset007_SynthGI");

        var summary = DatasetInspector.Inspect(root);
        var uw = DatasetInspector.Inspect(folder.Combine("uw"));

        Assert.Equal(DatasetFormat.NnUnet, summary.Format);
        Assert.Equal(uw.Classes, summary.Classes);
        // A NIfTI case is a case-day volume, so nnU-Net counts as many cases as volumes.
        Assert.Equal((uw.Volumes, uw.Volumes, uw.Slices), (summary.Cases, summary.Volumes, summary.Slices));
        Assert.Equal(synth.Positives, summary.Positives);
        Assert.All(summary.Positives, p => Assert.InRange(p, 1, summary.Volumes));
        foreach (var (item, uwItem) in summary.Items.Zip(uw.Items))
        {
            Assert.Equal(uwItem.Id, item.Id);
            Assert.Equal([56, 48, 12], item.Shape);
            Assert.Equal([uwItem.Spacing![2], uwItem.Spacing[1], 3.0], item.Spacing!);
            Assert.Equal((uwItem.Min, uwItem.Max), (item.Min, item.Max));
            Assert.Equal("LPS", item.Orientation);
        }
    }

    [Fact]
    public void Json_has_the_keys_of_the_design()
    {
        using var folder = new TempFolder();
        NnUnetSynth.Write(folder.Path, Small with { Cases = 1, MaxDays = 1, Slices = 4 });

        var json = JsonSerializer.Serialize(DatasetInspector.Inspect(folder.Combine("Dataset500_SynthGI"), DatasetFormat.NnUnet).ToJson());

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (string key in new[] { "format", "classes", "cases", "volumes", "slices", "positives", "items" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"inspect JSON lacks '{key}'");
        }
        Assert.Equal("nnunet", root.GetProperty("format").GetString());
        Assert.Equal(["stomach", "small_bowel", "large_bowel"], root.GetProperty("positives").EnumerateObject().Select(p => p.Name));
        var item = root.GetProperty("items")[0];
        foreach (string key in new[] { "id", "shape", "spacing", "min", "max" })
        {
            Assert.True(item.TryGetProperty(key, out _), $"inspect item lacks '{key}'");
        }
        Assert.Equal(3.0, item.GetProperty("spacing")[2].GetDouble());
    }

    [Fact]
    public void Broken_png_rle_and_nifti_are_errors_naming_the_file()
    {
        using var folder = new TempFolder();
        string uw = folder.Combine("uw");
        UwMadisonSynth.Write(uw, Small with { Cases = 1, MaxDays = 1 });
        string png = Directory.GetFiles(uw, "slice_0005_*.png", SearchOption.AllDirectories).Single();
        byte[] bytes = File.ReadAllBytes(png);
        File.WriteAllBytes(png, bytes[..(bytes.Length / 2)]);
        Assert.Contains(png, Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(uw)).Message);

        File.WriteAllBytes(png, bytes);
        string csv = Path.Combine(uw, "train.csv");
        var lines = File.ReadAllLines(csv);
        const int row = 7; // line 8: slice 3, large_bowel
        lines[row] = lines[row][..(lines[row].LastIndexOf(',') + 1)] + "5 3 6 1";
        File.WriteAllLines(csv, lines);
        var error = Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(uw));
        Assert.Contains($"{csv} line {row + 1}", error.Message);
        Assert.Contains("overlapping", error.Message);

        NnUnetSynth.Write(folder.Path, Small with { Cases = 1, MaxDays = 1 });
        string nifti = Directory.GetFiles(folder.Combine("Dataset500_SynthGI", "imagesTr")).Single();
        File.WriteAllBytes(nifti, File.ReadAllBytes(nifti)[..100]);
        error = Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(folder.Combine("Dataset500_SynthGI")));
        Assert.Contains(nifti, error.Message);
    }

    [Fact]
    public void With_several_broken_files_the_first_in_dataset_order_is_reported_every_time()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("uw");
        UwMadisonSynth.Write(root, Small with { Cases = 1, MaxDays = 1 });
        var pngs = Directory.GetFiles(root, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        foreach (string png in pngs[3..])
        {
            File.WriteAllBytes(png, [1, 2, 3]);
        }

        for (int run = 0; run < 3; run++)
        {
            Assert.Contains(pngs[3], Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(root)).Message);
        }
    }

    [Fact]
    public void Folder_layout_counts_images_with_each_class()
    {
        using var folder = new TempFolder();
        RgbPng.Write(folder.Combine("images", "a.png"), new byte[12], 2, 2);
        RgbPng.Write(folder.Combine("images", "b.png"), [0, 0, 0, 9, 9, 9, 200, 0, 0, 0, 0, 0], 2, 2);
        FolderDatasetTests.WriteMask(folder.Combine("masks", "a.png"), 2, 2, [0, 2, 0, 0]);
        FolderDatasetTests.WriteMask(folder.Combine("masks", "b.png"), 2, 2, [1, 2, 0, 0]);

        var unnamed = DatasetInspector.Inspect(folder.Path);
        File.WriteAllLines(folder.Combine("classes.txt"), ["background", "road", "car", "tree"]);
        var named = DatasetInspector.Inspect(folder.Path);

        Assert.Equal(DatasetFormat.Folder, unnamed.Format);
        Assert.Equal(["class_1", "class_2"], unnamed.Classes);
        Assert.Equal([1, 2], unnamed.Positives);
        Assert.Equal(["road", "car", "tree"], named.Classes);
        Assert.Equal([1, 2, 0], named.Positives);
        Assert.Equal([2, 2, 3], named.Items[1].Shape);
        Assert.Null(named.Items[1].Spacing);
        Assert.Equal((0.0, 200.0), (named.Items[1].Min, named.Items[1].Max));
    }

    [Fact]
    public void Auto_format_lists_the_layouts_when_none_fits_and_points_to_a_nested_dataset()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(folder.Path));
        Assert.Contains("uwmgi", error.Message);
        Assert.Contains("nnunet", error.Message);
        Assert.Contains("folder", error.Message);

        NnUnetSynth.Write(folder.Path, Small with { Cases = 1, MaxDays = 1, Slices = 2 });
        error = Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(folder.Path));
        Assert.Contains("Dataset500_SynthGI", error.Message);

        Directory.CreateDirectory(folder.Combine("Dataset500_SynthGI", "images"));
        error = Assert.Throws<MedSegException>(() => DatasetInspector.Inspect(folder.Combine("Dataset500_SynthGI")));
        Assert.Contains("--format", error.Message);
        Assert.Equal(DatasetFormat.NnUnet, DatasetInspector.Inspect(folder.Combine("Dataset500_SynthGI"), DatasetFormat.NnUnet).Format);
    }
}
