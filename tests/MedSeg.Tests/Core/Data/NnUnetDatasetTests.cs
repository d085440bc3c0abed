using System.Text.Json.Nodes;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Data;

public class NnUnetDatasetTests
{
    private static readonly VolumeGeometry Grid = new(
        new VolumeShape(5, 4, 3), Affine.FromRows([-0.8, 0.1, 0, 40, -0.1, -0.8, 0, 25.5, 0, 0, 2.5, -100]));

    private static readonly NnUnetDatasetInfo Info = new(["T1", "T2"], ["background", "liver", "tumour"], 0, Name: "Test");

    [Fact]
    public void Written_dataset_reads_back_exactly()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("Dataset042_Test");
        var cases = new Dictionary<string, (Volume<float> Image, Volume<ushort>? Labels)>
        {
            ["liver_7"] = (Image(1), Labels(seed: 1)),
            ["liver_12"] = (Image(2), Labels(seed: 2)),
            ["unseen_1"] = (Image(3), null),
        };
        using (var writer = new NnUnetDatasetWriter(root, Info))
        {
            foreach (var (id, c) in cases)
            {
                writer.AddCase(id, c.Image, c.Labels);
            }
            Assert.Equal(Path.GetFullPath(root), writer.Commit());
        }

        var dataset = NnUnetDataset.Load(root);

        Assert.Equal(["liver_12", "liver_7"], dataset.TrainingCases.Select(c => c.Id));
        Assert.Equal(["unseen_1"], dataset.TestCases.Select(c => c.Id));
        Assert.Equal(["liver", "tumour"], dataset.Classes);
        Assert.Equal(["T1", "T2"], dataset.Info.ChannelNames);
        Assert.Equal(2, dataset.Info.NumTraining);
        Assert.Equal(".nii.gz", dataset.Info.FileEnding);
        Assert.Equal(Path.Combine(dataset.Root, "imagesTr", "liver_7_0001.nii.gz"), dataset.TrainingCases[1].ImagePaths[1]);
        Assert.Equal(Path.Combine(dataset.Root, "labelsTr", "liver_7.nii.gz"), dataset.TrainingCases[1].LabelPath);
        Assert.Equal(Path.Combine(dataset.Root, "imagesTs", "unseen_1_0000.nii.gz"), dataset.TestCases[0].ImagePaths[0]);
        foreach (var nnCase in dataset.Cases)
        {
            var (image, labels) = nnCase.Read();
            Assert.Equal(cases[nnCase.Id].Image.Voxels, image.Voxels);
            Assert.Equal(2, image.Channels);
            Assert.True(image.Affine.MaxDifference(Grid.Affine) < 1e-5);
            Assert.Equal(cases[nnCase.Id].Labels?.Voxels, labels?.Voxels);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "dataset.json")))!;
        Assert.Equal(2, (int)json["labels"]!["tumour"]!);
        Assert.Equal("T2", (string?)json["channel_names"]!["1"]);
        Assert.Equal(2, (int)json["numTraining"]!);
        Assert.Equal(NiftiDataType.UInt8, Nifti.ReadHeader(dataset.TrainingCases[0].LabelPath!).DataType);
    }

    [Theory]
    [InlineData("channel_names")]
    [InlineData("labels")]
    [InlineData("numTraining")]
    [InlineData("file_ending")]
    public void Dataset_json_without_a_required_key_names_it(string key)
    {
        using var folder = new TempFolder();
        string root = WriteSmall(folder);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "dataset.json")))!.AsObject();
        json.Remove(key);
        File.WriteAllText(Path.Combine(root, "dataset.json"), json.ToJsonString());

        var error = Assert.Throws<MedSegException>(() => NnUnetDataset.Load(root));

        Assert.Contains($"\"{key}\"", error.Message);
        Assert.Contains(Path.Combine(root, "dataset.json"), error.Message);
    }

    [Theory]
    [InlineData("""{"channel_names": {"0": "T1"}, "labels": {"background": 0, "a": 2}, "numTraining": 1, "file_ending": ".nii.gz"}""", "distinct integers 0 to 1")]
    [InlineData("""{"channel_names": {"0": "T1"}, "labels": {"background": 0, "a": [1, 2]}, "numTraining": 1, "file_ending": ".nii.gz"}""", "region")]
    [InlineData("""{"modality": {"0": "T1"}, "labels": {"background": 0, "a": 1}, "numTraining": 1, "file_ending": ".nii.gz"}""", "modality")]
    [InlineData("""{"channel_names": {"1": "T1"}, "labels": {"background": 0, "a": 1}, "numTraining": 1, "file_ending": ".nii.gz"}""", "\"0\"")]
    [InlineData("""{"channel_names": {"0": "T1"}, "labels": {"background": 0, "a": 1}, "numTraining": 1, "file_ending": ".png"}""", ".png")]
    [InlineData("""{"channel_names": {"0": "T1"}, "labels": {"background": 0, "a": 1}, "numTraining": "one", "file_ending": ".nii.gz"}""", "numTraining")]
    [InlineData("""{"channel_names": {"0": "T1"}, "labels": {"background": 0,""", "not valid JSON")]
    [InlineData("""[1, 2]""", "array")]
    public void Malformed_dataset_json_is_one_clear_error(string text, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Combine("dataset.json");
        File.WriteAllText(path, text);

        var error = Assert.Throws<MedSegException>(() => NnUnetDatasetInfo.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Label_map_on_another_grid_than_its_image_is_an_error()
    {
        using var folder = new TempFolder();
        string root = WriteSmall(folder);
        var dataset = NnUnetDataset.Load(root);
        string label = dataset.TrainingCases[0].LabelPath!;
        var shifted = new VolumeGeometry(Grid.Shape, Affine.FromRows([-0.8, 0.1, 0, 42, -0.1, -0.8, 0, 25.5, 0, 0, 2.5, -100]));
        Nifti.WriteLabels(label, new Volume<ushort>(shifted));

        var error = Assert.Throws<MedSegException>(() => dataset.TrainingCases[0].ReadLabels());
        Assert.Contains(label, error.Message);
        Assert.Contains("another grid", error.Message);
        Assert.Contains("2 mm", error.Message);

        Nifti.WriteLabels(label, new Volume<ushort>(new VolumeGeometry(new VolumeShape(5, 4, 4), Grid.Affine)));
        error = Assert.Throws<MedSegException>(() => dataset.TrainingCases[0].Read());
        Assert.Contains("shape 5×4×4 instead of 5×4×3", error.Message);
    }

    [Fact]
    public void Label_value_that_is_no_label_of_dataset_json_is_an_error()
    {
        using var folder = new TempFolder();
        string root = WriteSmall(folder);
        var dataset = NnUnetDataset.Load(root);
        var labels = new Volume<ushort>(Grid);
        labels[1, 2, 0] = 3;
        Nifti.WriteLabels(dataset.TrainingCases[0].LabelPath!, labels);

        var error = Assert.Throws<MedSegException>(() => dataset.TrainingCases[0].ReadLabels());

        Assert.Contains("value 3 at voxel (1, 2, 0)", error.Message);
        Assert.Contains("0 to 2", error.Message);
    }

    [Theory]
    [InlineData("missing-label", "no label map")]
    [InlineData("missing-channel", "no image for channel 1")]
    [InlineData("orphan-label", "has no image")]
    [InlineData("misnamed-image", "CASE_XXXX")]
    [InlineData("wrong-ending", "does not end in .nii.gz")]
    [InlineData("num-training", "numTraining 5")]
    [InlineData("extra-channel", "channel 2")]
    public void Incomplete_or_misnamed_dataset_is_one_clear_error(string damage, string expected)
    {
        using var folder = new TempFolder();
        string root = WriteSmall(folder);
        string imagesTr = Path.Combine(root, "imagesTr"), labelsTr = Path.Combine(root, "labelsTr");
        switch (damage)
        {
            case "missing-label": File.Delete(Path.Combine(labelsTr, "a.nii.gz")); break;
            case "missing-channel": File.Delete(Path.Combine(imagesTr, "a_0001.nii.gz")); break;
            case "orphan-label": File.Copy(Path.Combine(labelsTr, "a.nii.gz"), Path.Combine(labelsTr, "z.nii.gz")); break;
            case "misnamed-image": File.Move(Path.Combine(imagesTr, "a_0001.nii.gz"), Path.Combine(imagesTr, "a_1.nii.gz")); break;
            case "wrong-ending": File.WriteAllText(Path.Combine(imagesTr, "notes.txt"), "x"); break;
            case "num-training": File.WriteAllText(Path.Combine(root, "dataset.json"), (Info with { NumTraining = 5 }).ToJson()); break;
            case "extra-channel": File.Copy(Path.Combine(imagesTr, "a_0001.nii.gz"), Path.Combine(imagesTr, "a_0002.nii.gz")); break;
        }

        var error = Assert.Throws<MedSegException>(() => NnUnetDataset.Load(root));

        Assert.Contains(expected, error.Message);
        Assert.Contains(root, error.Message);
    }

    [Fact]
    public void Dataset_key_lists_files_which_must_stay_inside_the_folder()
    {
        using var folder = new TempFolder();
        string root = WriteSmall(folder);
        string jsonPath = Path.Combine(root, "dataset.json");
        var json = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();
        json["dataset"] = JsonNode.Parse("""{"a": {"images": ["imagesTr/a_0000.nii.gz", "imagesTr/a_0001.nii.gz"], "label": "labelsTr/a.nii.gz"}}""");
        File.WriteAllText(jsonPath, json.ToJsonString());

        var dataset = NnUnetDataset.Load(root);
        Assert.Equal(Path.Combine(dataset.Root, "labelsTr", "a.nii.gz"), dataset.TrainingCases.Single().LabelPath);

        json["dataset"] = JsonNode.Parse("""{"a": {"images": ["imagesTr/a_0000.nii.gz", "../../etc/passwd"], "label": "labelsTr/a.nii.gz"}}""");
        File.WriteAllText(jsonPath, json.ToJsonString());
        var error = Assert.Throws<MedSegException>(() => NnUnetDataset.Load(root));
        Assert.Contains("outside the dataset folder", error.Message);
        Assert.Contains("../../etc/passwd", error.Message);

        json["dataset"] = JsonNode.Parse("""{"../a": {"images": ["imagesTr/a_0000.nii.gz", "imagesTr/a_0001.nii.gz"], "label": "labelsTr/a.nii.gz"}}""");
        File.WriteAllText(jsonPath, json.ToJsonString());
        error = Assert.Throws<MedSegException>(() => NnUnetDataset.Load(root));
        Assert.Contains("\"../a\"", error.Message);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Writer_refuses_a_case_id_that_could_escape_and_leaves_nothing(string id)
    {
        using var folder = new TempFolder();
        string root = folder.Combine("Dataset001_X");
        using (var writer = new NnUnetDatasetWriter(root, Info))
        {
            var error = Assert.Throws<MedSegException>(() => writer.AddCase(id, Image(1), Labels(1)));
            Assert.Contains("letters, digits", error.Message);
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Writer_refuses_labels_on_another_grid_and_a_non_empty_folder()
    {
        using var folder = new TempFolder();
        string root = folder.Combine("Dataset001_X");
        using (var writer = new NnUnetDatasetWriter(root, Info))
        {
            var error = Assert.Throws<MedSegException>(() => writer.AddCase("a", Image(1), new Volume<ushort>(new VolumeGeometry(new VolumeShape(5, 4, 2), Grid.Affine))));
            Assert.Contains("another grid", error.Message);
        }
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "mine.txt"), "keep");
        Assert.Throws<MedSegException>(() => new NnUnetDatasetWriter(root, Info));
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    /// <summary>A dataset with one training case "a" (two channels) in <c>folder/Dataset001_Small</c>.</summary>
    private static string WriteSmall(TempFolder folder)
    {
        string root = folder.Combine("Dataset001_Small");
        using var writer = new NnUnetDatasetWriter(root, Info);
        writer.AddCase("a", Image(1), Labels(1));
        return writer.Commit();
    }

    private static Volume<float> Image(int seed) =>
        new(Grid, Enumerable.Range(0, 2 * 60).Select(i => (float)(i * seed) - 7.25f).ToArray(), channels: 2);

    private static Volume<ushort> Labels(int seed) =>
        new(Grid, Enumerable.Range(0, 60).Select(i => (ushort)((i + seed) % 3)).ToArray());
}
