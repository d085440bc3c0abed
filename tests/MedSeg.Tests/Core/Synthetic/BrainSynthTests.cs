using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Synthetic;

public class BrainSynthTests
{
    private static readonly BrainSynthOptions Small = new(Subjects: 3, Height: 48, Width: 40, Slices: 44, Seed: 3);

    [Fact]
    public void Same_seed_writes_identical_files_and_another_seed_other_subjects()
    {
        using var folder = new TempFolder();
        BrainSynth.Write(folder.Combine("a"), Small);
        BrainSynth.Write(folder.Combine("b"), Small);
        BrainSynth.Write(folder.Combine("c"), Small with { Seed = 4 });

        string[] Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        var files = Files(folder.Combine("a"));
        Assert.Equal(files, Files(folder.Combine("b")));
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(folder.Combine("a", file)), File.ReadAllBytes(folder.Combine("b", file)));
        }
        var image = Path.Combine(BrainSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId), "imagesTr", "sub01_0000.nii.gz");
        Assert.NotEqual(File.ReadAllBytes(folder.Combine("a", image)), File.ReadAllBytes(folder.Combine("c", image)));
    }

    [Fact]
    public void One_subject_trains_and_the_others_are_held_out_with_their_truth_through_the_nnunet_reader()
    {
        using var folder = new TempFolder();
        BrainSynth.Write(folder.Path, Small);
        var root = folder.Combine(BrainSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));

        var dataset = NnUnetDataset.Load(root);

        Assert.Equal(BrainSynth.Labels, dataset.Info.Labels);
        Assert.Equal(["sub01"], dataset.TrainingCases.Select(c => c.Id));
        Assert.Equal(["sub02", "sub03"], dataset.TestCases.Select(c => c.Id));
        var (image, labels) = dataset.TrainingCases[0].Read();
        Assert.Equal((40, 48, 44), (image.Shape.X, image.Shape.Y, image.Shape.Z));
        Assert.Equal(1.0, image.Spacing.X, 6);
        Assert.Equal(Enumerable.Range(0, 9).Select(v => (ushort)v), labels!.Voxels.Distinct().Order());
        var heldOut = Nifti.ReadLabels(Path.Combine(root, "labelsTs", "sub02.nii.gz"));
        Assert.True(heldOut.Geometry.Matches(dataset.TestCases[0].ReadImage().Geometry));
    }

    [Fact]
    public void Left_and_right_structures_carry_different_labels_on_their_own_side()
    {
        var options = Small with { Subjects = 1 };
        var (_, labels) = BrainSynth.Subject(options, 0);
        int w = options.Width, plane = w * options.Height;
        for (ushort left = 1; left <= 8; left += 2)
        {
            // x runs towards the subject's right: every left label lies at smaller x than its right twin.
            double MeanX(ushort label) => labels.Voxels.Select((v, i) => (v, x: i % plane % w)).Where(p => p.v == label).Average(p => p.x);
            Assert.True(MeanX(left) < (w - 1) / 2.0 && MeanX((ushort)(left + 1)) > (w - 1) / 2.0, $"label {left} should be left of the midline and {left + 1} right of it");
        }
        var mirrored = new ushort[labels.Voxels.Length];
        for (var i = 0; i < mirrored.Length; i++)
        {
            int x = i % plane % w;
            ushort v = labels.Voxels[i - x + (w - 1 - x)];
            mirrored[i] = v == 0 ? (ushort)0 : (ushort)(v % 2 == 1 ? v + 1 : v - 1);
        }
        // Mirroring and swapping sides does not give the same map back: the two sides are not mirror images.
        Assert.NotEqual(labels.Voxels, mirrored);
    }

    [Fact]
    public void Warped_subjects_differ_from_each_other_yet_keep_plausible_structure_volumes()
    {
        var options = Small with { Subjects = 4, Height = 64, Width = 60, Slices = 60 };
        var subjects = Enumerable.Range(0, options.Subjects).Select(n => BrainSynth.Subject(options, n)).ToArray();
        long[] Volumes(ushort[] voxels)
        {
            var counts = new long[9];
            foreach (var v in voxels)
            {
                counts[v]++;
            }
            return counts;
        }
        var first = Volumes(subjects[0].Labels.Voxels);
        for (var n = 1; n < subjects.Length; n++)
        {
            var labels = subjects[n].Labels.Voxels;
            double changed = labels.Zip(subjects[0].Labels.Voxels).Count(p => p.First != p.Second) / (double)first.Skip(1).Sum();
            Assert.True(changed > 0.1, $"subject {n + 1} moves only {changed:P0} of the labelled voxels");
            Assert.NotEqual(subjects[0].Image.Voxels, subjects[n].Image.Voxels);
            var volumes = Volumes(labels);
            for (var label = 1; label <= 8; label++)
            {
                Assert.InRange(volumes[label], (long)(0.6 * first[label]), (long)(1.6 * first[label]));
            }
        }
        Assert.All(first.Skip(1), v => Assert.True(v > 20, $"a structure of {v} voxels is too small to learn"));
    }

    [Fact]
    public void Out_of_range_options_name_the_flag()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MedSegException>(() => BrainSynth.Write(folder.Path, Small with { Slices = 8 }));
        Assert.Contains("--slices", error.Message);
        Assert.False(Directory.Exists(folder.Combine(BrainSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId))));
    }
}
