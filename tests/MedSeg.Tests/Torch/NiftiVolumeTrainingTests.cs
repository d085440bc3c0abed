using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch;

/// <summary>
/// NIfTI data as users bring it: predict on a single file or a plain folder, multi-channel nnU-Net datasets (2D and
/// 3D), and anisotropic volumes resampled to a target spacing in 3D with label maps back on the input grid.
/// Sequential: libtorch's random generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class NiftiVolumeTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Synthesise(string name, int cases, int slices, int size, int channels = 1, StackSpacing? spacing = null)
    {
        var folder = temp.Combine(name);
        NnUnetSynth.Write(folder, new UwMadisonSynthOptions(Cases: cases, MaxDays: 1, Slices: slices, Height: size, Width: size, Seed: 5), channels: channels, spacing: spacing);
        return Path.Combine(folder, NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));
    }

    /// <summary>Asserts that every <c>CASE.nii.gz</c> in <paramref name="predictions"/> lies exactly on the grid of its image.</summary>
    private static void AssertOnInputGrids(string predictions, IEnumerable<(string Id, string Image)> images)
    {
        foreach (var (id, image) in images)
        {
            var input = Nifti.ReadHeader(image).Geometry;
            var labels = Nifti.Read(Path.Combine(predictions, id + ".nii.gz")).Header.Geometry;
            Assert.Equal(input.Shape, labels.Shape);
            Assert.True(labels.Matches(input, 1e-6), $"the label map of {id} is not on its image's grid: {labels.Affine} vs {input.Affine}");
        }
    }

    [Fact]
    public void ASingleFileAndAPlainFolderPredictLikeTheDatasetCase()
    {
        var dataset = Synthesise("one", cases: 2, slices: 16, size: 32);
        var run = Path.Combine(temp.Path, "run");
        Trainer.Train(dataset, TrainerTests.Tiny with { Epochs = 1, Folds = 2 }, run);
        var cases = NnUnetDataset.Load(dataset).TrainingCases;
        var plain = Directory.CreateDirectory(temp.Combine("plain")).FullName;
        File.Copy(cases[0].ImagePaths[0], Path.Combine(plain, "first_0000.nii.gz"));
        Nifti.WriteImage(Path.Combine(plain, "second.nii"), cases[1].ReadImage());

        LabelMapPredictor.Predict([run], null, dataset, temp.Combine("fromDataset"), new PredictOptions(), "cpu");
        var single = LabelMapPredictor.Predict([run], null, Path.Combine(plain, "first_0000.nii.gz"), temp.Combine("fromFile"), new PredictOptions(), "cpu");
        var folder = LabelMapPredictor.Predict([run], null, plain, temp.Combine("fromFolder"), new PredictOptions(), "cpu");

        Assert.Equal(1, single.Cases);
        Assert.Equal(["first.nii.gz"], Directory.GetFiles(temp.Combine("fromFile")).Select(Path.GetFileName));
        Assert.Equal(["first.nii.gz", "second.nii.gz"], Directory.GetFiles(temp.Combine("fromFolder")).Select(Path.GetFileName).Order());
        Assert.Equal(plain, folder.SourceFolder);
        AssertOnInputGrids(temp.Combine("fromFolder"), [("first", cases[0].ImagePaths[0]), ("second", cases[1].ImagePaths[0])]);
        // The per-volume intensity rule of the nnU-Net run applies to plain files too: the same voxels give the same labels.
        var expected = Nifti.ReadLabels(Path.Combine(temp.Combine("fromDataset"), cases[0].Id + ".nii.gz")).Voxels;
        Assert.Equal(expected, Nifti.ReadLabels(Path.Combine(temp.Combine("fromFile"), "first.nii.gz")).Voxels);
        Assert.Equal(Nifti.ReadLabels(Path.Combine(temp.Combine("fromDataset"), cases[1].Id + ".nii.gz")).Voxels,
            Nifti.ReadLabels(Path.Combine(temp.Combine("fromFolder"), "second.nii.gz")).Voxels);
    }

    [Fact]
    public void ATwoChannelDatasetTrainsIn2DAnd3DAndPredictsOnlyTwoChannelImages()
    {
        var dataset = Synthesise("two", cases: 3, slices: 16, size: 64, channels: 2);
        var cases = NnUnetDataset.Load(dataset).TrainingCases;
        Assert.All(cases, c => Assert.Equal(2, c.ImagePaths.Count));
        foreach (var (name, config) in new[] { ("2d", TrainerTests.Tiny with { Epochs = 2 }), ("3d", VolumeTrainingTests.Tiny3D with { Epochs = 1, Folds = 3 }) })
        {
            var run = Path.Combine(temp.Path, "run" + name);
            var result = Trainer.Train(dataset, config, run);
            var saved = RunFolder.Load(run).Config;
            output.WriteLine($"{name}: {string.Join("; ", result.Epochs.Select(e => $"loss {e.TrainLoss:F3} dice {e.ValDice:F3}"))}");
            Assert.Equal(2, saved.Channels);
            Assert.Equal(2, saved.InChannels);
            Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));

            var predictions = temp.Combine("pred" + name);
            Assert.Equal(cases.Count, LabelMapPredictor.Predict([run], null, dataset, predictions, new PredictOptions(), "cpu").Cases);
            AssertOnInputGrids(predictions, cases.Select(c => (c.Id, c.ImagePaths[0])));

            var t2Only = temp.Combine("t2only" + name + ".nii.gz");
            File.Copy(cases[0].ImagePaths[0], t2Only);
            var error = Assert.Throws<MedSegException>(() => LabelMapPredictor.Predict([run], null, t2Only, temp.Combine("bad" + name), new PredictOptions(), "cpu"));
            Assert.Contains(t2Only, error.Message);
            Assert.Contains(run, error.Message);
            Assert.False(Directory.Exists(temp.Combine("bad" + name)));
        }
    }

    [Fact]
    public void AnAnisotropicVolumeTrainsIn3DAtTheTargetSpacingAndPredictsOnItsOwnGrid()
    {
        var dataset = Synthesise("aniso", cases: 2, slices: 16, size: 64, spacing: new StackSpacing(4, 0.8, 0.8));
        var cases = NnUnetDataset.Load(dataset).TrainingCases;
        var spacing = Nifti.ReadHeader(cases[0].ImagePaths[0]).Geometry.Spacing;
        Assert.Equal([0.8, 0.8, 4], spacing.ToArray().Select(s => Math.Round(s, 5)));
        var run = Path.Combine(temp.Path, "run");
        var messages = new List<string>();
        Trainer.Train(dataset, VolumeTrainingTests.Tiny3D with { Epochs = 1, Folds = 2, TargetSpacing = "2x1.6x1.6" }, run, new TrainingEvents { Message = messages.Add });
        output.WriteLine(messages[0]);

        Assert.Equal("2x1.6x1.6", RunFolder.Load(run).Config.TargetSpacing);
        // 16 slices of 4 mm and 64 columns of 0.8 mm cover 64 mm and 51.2 mm: 32 slices of 2 mm, 32 columns of 1.6 mm.
        var caseDay = UwMadisonDataset.Load(Path.Combine(run, RunFolder.PreprocessedFolder)).CaseDays[0];
        Assert.Equal((32, 32, 32), (caseDay.Slices.Count, caseDay.Slices[0].Height, caseDay.Slices[0].Width));
        Assert.Equal(1.6, caseDay.Slices[0].SpacingX, 6);

        var predictions = temp.Combine("pred");
        LabelMapPredictor.Predict([run], null, dataset, predictions, new PredictOptions(), "cpu");
        AssertOnInputGrids(predictions, cases.Select(c => (c.Id, c.ImagePaths[0])));

        // A 2D run on the volumes' own grid and the resampled 3D run average their probabilities on the input grid.
        var twoD = Path.Combine(temp.Path, "run2d");
        Trainer.Train(dataset, TrainerTests.Tiny with { Epochs = 1, Folds = 2 }, twoD);
        Assert.Null(RunFolder.Load(twoD).Config.TargetSpacing);
        LabelMapPredictor.Predict([twoD, run], [0.5, 0.5], dataset, temp.Combine("both"), new PredictOptions(), "cpu");
        AssertOnInputGrids(temp.Combine("both"), cases.Select(c => (c.Id, c.ImagePaths[0])));
        LabelMapPredictor.Predict([twoD], null, dataset, temp.Combine("alone"), new PredictOptions(), "cpu");
        LabelMapPredictor.Predict([twoD, run], [1, 0], dataset, temp.Combine("weighted"), new PredictOptions(), "cpu");
        foreach (var c in cases)
        {
            Assert.Equal(Nifti.ReadLabels(Path.Combine(temp.Combine("alone"), c.Id + ".nii.gz")).Voxels,
                Nifti.ReadLabels(Path.Combine(temp.Combine("weighted"), c.Id + ".nii.gz")).Voxels);
        }
    }

    [Fact]
    public void WithoutATargetSpacing3DRunsResampleToTheMedianAndRecordIt()
    {
        var dataset = Synthesise("median", cases: 2, slices: 16, size: 32, spacing: new StackSpacing(4, 0.8, 0.8));
        var run = Path.Combine(temp.Path, "run");
        Trainer.Train(dataset, VolumeTrainingTests.Tiny3D with { Epochs = 1, Folds = 2 }, run);
        Assert.Equal("4x0.8x0.8", RunFolder.Load(run).Config.TargetSpacing);
    }

    [Fact]
    public void ATargetSpacingThatIsNotPositiveOrNotFor3DFailsBeforeAnythingIsWritten()
    {
        var dataset = Synthesise("bad", cases: 2, slices: 8, size: 32);
        foreach (var (config, expected) in new[]
        {
            (VolumeTrainingTests.Tiny3D with { TargetSpacing = "0x1x1" }, "--target-spacing '0x1x1'"),
            (VolumeTrainingTests.Tiny3D with { TargetSpacing = "3x-1x1" }, "--target-spacing '3x-1x1'"),
            (TrainerTests.Tiny with { TargetSpacing = "3x1x1" }, "--mode 3d"),
        })
        {
            var run = Path.Combine(temp.Path, "run");
            var error = Assert.Throws<MedSegException>(() => Trainer.Train(dataset, config, run));
            Assert.Contains(expected, error.Message);
            Assert.False(Directory.Exists(run));
        }
    }
}
