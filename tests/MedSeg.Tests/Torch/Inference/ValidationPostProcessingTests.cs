using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Synthetic;
using MedSeg.Core.Tuning;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>The post-processing a run decided on validation is read back by predict, applied by default and turned off by <c>--postprocess none</c>.</summary>
public class ValidationPostProcessingTests
{
    private static PostProcessingDecision Decision(params bool[] keep) => new(2,
        [.. UwMadisonSynth.Classes.Select((name, c) => ClassPostProcessing.Of(name, 0.8, keep[c] ? 0.9 : 0.7, 2))]);

    private static IReadOnlyList<bool>? Applied(string run, string mode) => Load(run, mode).KeepLargest;

    private static (IReadOnlyList<bool>? KeepLargest, string? Note) Load(string run, string mode)
    {
        using var ensemble = LoadedEnsemble.Load([run], null, new PredictOptions(ValidatedPostProcess: mode), TorchSharp.torch.CPU);
        return (ensemble.Options.PostProcess?.KeepLargestClasses, ensemble.PostProcessingNote);
    }

    [Fact]
    public void Predict_applies_the_recorded_decision_by_default_and_not_under_none()
    {
        using var folder = new TempFolder();
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), UwMadisonSynth.Classes);
        ValidationPostProcessing.Write(run, Decision(true, false, true));

        Assert.Equal([true, false, true], Applied(run, "auto"));
        Assert.Null(Applied(run, "none"));
        Assert.Contains("stomach, large_bowel", Load(run, "auto").Note);
        Assert.Contains("--postprocess none)", Load(run, "none").Note);
        var error = Assert.Throws<MedSegException>(() => Applied(run, "largest"));
        Assert.Contains("--postprocess largest", error.Message);
        Assert.Contains("auto, none", error.Message);
    }

    [Fact]
    public void A_run_without_a_decision_gets_no_post_processing_and_predict_says_why()
    {
        using var folder = new TempFolder();
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), UwMadisonSynth.Classes);

        Assert.Null(Applied(run, "auto"));
        Assert.Contains("has no postprocessing.json", Load(run, "auto").Note);
    }

    [Fact]
    public void A_decision_taken_from_the_training_labels_is_applied_and_named_as_such()
    {
        using var folder = new TempFolder();
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), UwMadisonSynth.Classes);
        ValidationPostProcessing.Write(run, new PostProcessingDecision(1,
            [.. UwMadisonSynth.Classes.Select((name, c) => new ClassPostProcessing(name, c != 1, null, null, 1))], PostProcessingDecision.TrainingLabelsBasis));

        Assert.True(ValidationPostProcessing.Read(run)!.FromTrainingLabels);
        Assert.Equal([true, false, true], Applied(run, "auto"));
        Assert.Contains("no held-out fold", Load(run, "auto").Note);
        Assert.Contains("one connected piece in every training label", Load(run, "auto").Note);
        Assert.Null(Applied(run, "none"));
    }

    [Fact]
    public void The_folds_of_a_fold_all_run_decide_together()
    {
        using var folder = new TempFolder();
        var parent = folder.Combine("run");
        var fold0 = LabelMapPredictorTests.UntrainedRun(Path.Combine(parent, RunFolder.FoldFolder(0)), UwMadisonSynth.Classes);
        var fold1 = LabelMapPredictorTests.UntrainedRun(Path.Combine(parent, RunFolder.FoldFolder(1)), UwMadisonSynth.Classes);
        ValidationPostProcessing.Write(fold0, Decision(true, true, false));
        ValidationPostProcessing.Write(fold1, Decision(true, false, false));

        // Stomach gains in both folds; small bowel gains 0.1 in one and loses 0.1 in the other: no gain together.
        Assert.Equal([true, false, false], ValidationPostProcessing.Read(parent)!.KeepLargest);
    }
}
