using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Synthetic;

public class NnUnetSynthTests
{
    private static readonly UwMadisonSynthOptions Small = new(Cases: 2, MaxDays: 2, Slices: 10, Height: 48, Width: 64, Seed: 3);

    [Fact]
    public void Writes_an_nnunet_raw_dataset_that_loads()
    {
        using var folder = new TempFolder();
        var summary = NnUnetSynth.Write(folder.Path, Small, datasetId: 12);
        string root = folder.Combine("Dataset012_SynthGI");

        var dataset = NnUnetDataset.Load(root);

        Assert.Equal(["Dataset012_SynthGI"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal(["dataset.json", "imagesTr", "labelsTr"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["background", "stomach", "small_bowel", "large_bowel"], dataset.Info.Labels);
        Assert.Equal(["T2"], dataset.Info.ChannelNames);
        Assert.Equal(summary.CaseDays, dataset.Info.NumTraining);
        Assert.Equal(summary.CaseDays, dataset.TrainingCases.Count);
        Assert.All(dataset.TrainingCases, c => Assert.Matches(@"^case\d+_day\d+$", c.Id));
        Assert.Equal(NiftiDataType.UInt8, Nifti.ReadHeader(dataset.TrainingCases[0].LabelPath!).DataType);
        Assert.Equal(NiftiDataType.Float32, Nifti.ReadHeader(dataset.TrainingCases[0].ImagePaths[0]).DataType);
    }

    [Fact]
    public void Volumes_hold_the_same_pixels_and_masks_as_the_uw_madison_layout()
    {
        using var folder = new TempFolder();
        var options = Small with { Cases = 1, MaxDays = 1 };
        UwMadisonSynth.Write(folder.Combine("uw"), options);
        NnUnetSynth.Write(folder.Combine("raw"), options);
        var uw = UwMadisonDataset.Load(folder.Combine("uw"));
        var nnCase = NnUnetDataset.Load(folder.Combine("raw", "Dataset500_SynthGI")).TrainingCases.Single();

        var (image, labels) = nnCase.Read();

        var caseDay = uw.CaseDays.Single();
        Assert.Equal(caseDay.Id, nnCase.Id);
        int plane = 48 * 64;
        for (int z = 0; z < 10; z++)
        {
            var slice = caseDay.Slices[z];
            Assert.Equal(slice.ReadImage().Select(v => (float)v), image.Voxels.AsSpan(z * plane, plane).ToArray());
            var labelPlane = labels!.Voxels.AsSpan(z * plane, plane).ToArray();
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(slice.DecodeMask(c), labelPlane.Select(v => v == c + 1 ? (byte)1 : (byte)0));
            }
        }
    }

    [Fact]
    public void Geometry_is_an_oblique_lps_grid_of_anisotropic_voxels()
    {
        using var folder = new TempFolder();
        NnUnetSynth.Write(folder.Path, Small);
        var dataset = NnUnetDataset.Load(folder.Combine("Dataset500_SynthGI"));

        foreach (var nnCase in dataset.TrainingCases)
        {
            var header = Nifti.ReadHeader(nnCase.ImagePaths[0]);
            var spacing = header.Affine.Spacing;
            Assert.Contains(Math.Round(spacing.X, 4), new[] { 1.5, 1.63 });
            Assert.Equal(spacing.X, spacing.Y, 5);
            Assert.Equal(3.0, spacing.Z, 5);
            Assert.Equal("LPS", Reorientation.AxisCodes(header.Affine));
            // Tilted: some off-diagonal term of the rotation is not zero.
            Assert.True(Math.Abs(header.Affine[1, 2]) + Math.Abs(header.Affine[0, 2]) > 0.01, header.Affine.ToString());
            // Near a half turn (LPS) the quaternion's real part is small and is derived from float32 b, c, d, so the
            // qform agrees with the exact sform only to a few 1e-4 mm per voxel; readers prefer the sform.
            Assert.True(header.QForm.MaxDifference(header.SForm) < 1e-3);
            Assert.Equal(new VolumeShape(64, 48, 10), header.Shape);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_differs()
    {
        using var folder = new TempFolder();
        var options = Small with { MaxDays = 1, Slices = 6 };
        NnUnetSynth.Write(folder.Combine("a"), options);
        NnUnetSynth.Write(folder.Combine("b"), options);
        NnUnetSynth.Write(folder.Combine("c"), options with { Seed = 4 });

        var files = Files(folder.Combine("a"));
        Assert.Equal(files, Files(folder.Combine("b")));
        foreach (string file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder.Combine("a"), file)), File.ReadAllBytes(Path.Combine(folder.Combine("b"), file)));
        }
        string FirstImage(string root) => Directory.GetFiles(Path.Combine(root, "Dataset500_SynthGI", "imagesTr")).Order(StringComparer.Ordinal).First();
        Assert.NotEqual(File.ReadAllBytes(FirstImage(folder.Combine("a"))), File.ReadAllBytes(FirstImage(folder.Combine("c"))));
    }

    [Fact]
    public void Refuses_a_non_empty_dataset_folder_and_a_bad_dataset_id()
    {
        using var folder = new TempFolder();
        string dataset = folder.Combine("Dataset500_SynthGI");
        Directory.CreateDirectory(dataset);
        File.WriteAllText(Path.Combine(dataset, "mine.txt"), "keep");

        Assert.Contains("not empty", Assert.Throws<MedSegException>(() => NnUnetSynth.Write(folder.Path, Small)).Message);
        Assert.Contains("--dataset-id", Assert.Throws<MedSegException>(() => NnUnetSynth.Write(folder.Path, Small, datasetId: 1000)).Message);
        Assert.Equal(["Dataset500_SynthGI"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(dataset).Select(Path.GetFileName));
    }

    private static List<string> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
}
