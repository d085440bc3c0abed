using System.Text.Json;
using MedSeg.Cli;
using MedSeg.Tests.Core.Data;

namespace MedSeg.Tests.Cli;

/// <summary><c>medseg synth</c> (nnunet, uwmgi, folder) and <c>medseg inspect</c> in process, with stdout and stderr captured.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class InspectCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-inspect-{Guid.NewGuid():N}");

    public InspectCommandTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private string SynthFolder()
    {
        string data = Path.Combine(root, "folder");
        var synth = Run("synth", "--layout", "folder", "--out", data, "--images", "4", "--size", "32x48");
        Assert.True(synth.Code == 0, synth.Err);
        return data;
    }

    [Fact]
    public void Synth_nnunet_then_inspect_json_prints_one_object_with_the_design_keys()
    {
        var synth = Run("synth", "--layout", "nnunet", "--out", root, "--cases", "2", "--days", "1", "--slices", "6", "--size", "48x48", "--seed", "2", "--dataset-id", "3");
        Assert.True(synth.Code == 0, synth.Err);
        string dataset = Path.Combine(root, "Dataset003_SynthGI");
        Assert.Contains(dataset, synth.Out);

        var (code, stdout, stderr) = Run("inspect", dataset, "--json");

        Assert.True(code == 0, stderr);
        Assert.Single(stdout.TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(stdout);
        var json = doc.RootElement;
        Assert.Equal("nnunet", json.GetProperty("format").GetString());
        Assert.Equal(2, json.GetProperty("cases").GetInt32());
        Assert.Equal(2, json.GetProperty("volumes").GetInt32());
        Assert.Equal(12, json.GetProperty("slices").GetInt32());
        Assert.Equal(3, json.GetProperty("classes").GetArrayLength());
        Assert.Equal(2, json.GetProperty("items").GetArrayLength());
        Assert.Equal([48, 48, 6], json.GetProperty("items")[0].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Inspect_prints_a_text_summary_by_default()
    {
        string data = Path.Combine(root, "uw");
        Assert.Equal(0, Run("synth", "--out", data, "--cases", "1", "--days", "1", "--slices", "4", "--size", "48x48").Code);

        var (code, stdout, stderr) = Run("inspect", data, "--format", "uwmgi");

        Assert.True(code == 0, stderr);
        Assert.Contains("uwmgi", stdout);
        Assert.Contains("1 case, 1 case-day, 4 slices", stdout);
        Assert.Contains("4×48×48 (1)", stdout);
        Assert.Contains("small_bowel", stdout);
    }

    [Fact]
    public void Broken_dataset_is_one_error_line_naming_the_file()
    {
        string data = Path.Combine(root, "uw");
        Assert.Equal(0, Run("synth", "--out", data, "--cases", "1", "--days", "1", "--slices", "3", "--size", "48x48").Code);
        string png = Directory.GetFiles(data, "slice_0002_*.png", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(png, [0x89, 0x50]);

        var (code, stdout, stderr) = Run("inspect", data, "--json");

        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(png, stderr);
    }

    [Fact]
    public void Synth_folder_dataset_passes_inspect_with_and_without_classes_txt()
    {
        string data = SynthFolder();

        var named = Run("inspect", data);
        File.Delete(Path.Combine(data, "classes.txt"));
        var unnamed = Run("inspect", data);

        Assert.True(named.Code == 0, named.Err);
        Assert.Contains("all files read and valid", named.Out);
        Assert.True(unnamed.Code == 0, unnamed.Err);
        Assert.Contains("all files read and valid", unnamed.Out);
    }

    [Theory]
    [InlineData("scan", "is a 16-bit image with 1536 different values")]
    [InlineData("16-bit", "is a 16-bit image; masks must be 8-bit")]
    [InlineData("rgba", "has 4 channels")]
    [InlineData("photo", "like an image rather than class indices")]
    [InlineData("index64", "but without classes.txt a mask holds class indices 0 to 63")]
    [InlineData("size", "is 48×40 but its image")]
    public void Folder_mask_that_is_no_class_index_image_is_one_error_line_naming_it(string kind, string expected)
    {
        string data = SynthFolder();
        File.Delete(Path.Combine(data, "classes.txt"));
        string mask = Path.Combine(data, "masks", "image_0001.png");
        if (kind == "size")
        {
            FolderDatasetTests.WriteMask(mask, 40, 48, new byte[40 * 48]);
        }
        else
        {
            BadMasks.Write(mask, kind, 32, 48);
        }

        var (code, stdout, stderr) = Run("inspect", data);

        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(mask, stderr);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Unknown_format_and_layout_name_the_valid_ones()
    {
        var inspect = Run("inspect", root, "--format", "dcm");
        Assert.Equal(CommandLine.UserError, inspect.Code);
        Assert.Contains("auto, uwmgi, nnunet, folder, dicom", inspect.Err);

        var synth = Run("synth", "--layout", "dicom", "--out", Path.Combine(root, "x"));
        Assert.Equal(CommandLine.UserError, synth.Code);
        Assert.Contains("uwmgi, nnunet", synth.Err);
        Assert.False(Directory.Exists(Path.Combine(root, "x")));
    }
}
