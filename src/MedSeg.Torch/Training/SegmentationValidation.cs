using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Tuning;
using MedSeg.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// Validation and out-of-fold output shared by the segmentation tasks: the held-out case-days are segmented whole
/// by a <see cref="SliceSegmenter"/> holding the model alone (slices in 2D / 2.5D, the sliding window in 3D), scored
/// with uwmgi, and their probabilities saved as <see cref="ProbabilityMaps"/> for <c>medseg tune</c>, with the
/// post-processing they call for (<see cref="ValidationPostProcessing"/>).
/// </summary>
public static class SegmentationValidation
{
    /// <summary>The uwmgi score of the model's thresholded predictions on <paramref name="caseDays"/>.</summary>
    public static ValidationResult Validate(nn.Module<Tensor, Tensor> model, TrainConfig config, IReadOnlyList<string> classes,
        IReadOnlyList<UwCaseDay> caseDays, Device device)
    {
        model.eval();
        var segmenter = Segmenter(model, config, classes, device);
        var score = new UwMadisonScore(classes);
        foreach (var caseDay in caseDays)
        {
            var first = caseDay.Slices[0];
            score.Update(caseDay.Id, caseDay.Slices.Count, first.Height, first.Width,
                segmenter.Masks(caseDay), CaseDayMasks.Truth(caseDay, classes.Count));
        }
        var result = score.Compute();
        return new ValidationResult(result.Score, result.Dice, result.Hausdorff);
    }

    /// <summary>
    /// Saves the probabilities of every case-day of <paramref name="caseDays"/> into <paramref name="folder"/> and
    /// decides on them which classes keep only their largest component (<c>postprocessing.json</c> beside the folder).
    /// </summary>
    public static void WriteOutOfFold(nn.Module<Tensor, Tensor> model, TrainConfig config, IReadOnlyList<string> classes,
        IReadOnlyList<UwCaseDay> caseDays, string folder, Device device)
    {
        var segmenter = Segmenter(model, config, classes, device);
        var cases = new List<TuningCase>();
        foreach (var caseDay in caseDays)
        {
            var first = caseDay.Slices[0];
            var probabilities = segmenter.Probabilities(caseDay);
            ProbabilityMaps.Write(folder, caseDay.Id, probabilities, caseDay.Slices.Count, first.Height, first.Width);
            cases.Add(new TuningCase(caseDay.Id, caseDay.Slices.Count, first.Height, first.Width, probabilities, CaseDayMasks.Truth(caseDay, classes.Count)));
        }
        if (cases.Count > 0)
        {
            ValidationPostProcessing.Write(Path.GetDirectoryName(Path.GetFullPath(folder))!, PostProcessingSearch.Decide(classes, cases, segmenter.Thresholds));
        }
    }

    /// <summary>
    /// Decides on the training labels of <paramref name="caseDays"/> which classes keep only their largest component
    /// (<see cref="PostProcessingSearch.DecideOnLabels"/>) and writes it to <paramref name="runPath"/>'s <c>postprocessing.json</c>.
    /// </summary>
    public static void DecideOnLabels(IReadOnlyList<string> classes, IReadOnlyList<UwCaseDay> caseDays, string runPath) =>
        ValidationPostProcessing.Write(runPath, PostProcessingSearch.DecideOnLabels(classes,
            caseDays.Select(c => (c.Slices.Count, c.Slices[0].Height, c.Slices[0].Width, CaseDayMasks.Truth(c, classes.Count)))));

    private static SliceSegmenter Segmenter(nn.Module<Tensor, Tensor> model, TrainConfig config, IReadOnlyList<string> classes, Device device) =>
        new([new EnsembleMember(model, config, classes, 1.0)], new PredictOptions(BatchSize: config.BatchSize), device);
}
