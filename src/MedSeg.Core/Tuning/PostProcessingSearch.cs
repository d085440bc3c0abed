using MedSeg.Core.Metrics;
using MedSeg.Core.PostProcessing;

namespace MedSeg.Core.Tuning;

/// <summary>
/// nnU-Net's way of choosing post-processing: on the validation predictions, each class is scored (mean Dice per
/// case-day, case-days where neither prediction nor truth holds it left out) as predicted and with only its largest
/// connected component kept (3-D, 26-connected, as <c>predict</c> applies it); the clean-up is adopted for the classes
/// where it scored higher. A stray blob far from the structure is removed; a true second component is kept.
/// </summary>
public static class PostProcessingSearch
{
    /// <summary>Decides per class on <paramref name="cases"/>, thresholding the probabilities at <paramref name="thresholds"/> (one per class).</summary>
    /// <exception cref="MedSegException">There are no cases to decide on.</exception>
    public static PostProcessingDecision Decide(IReadOnlyList<string> classes, IReadOnlyList<TuningCase> cases, IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(cases);
        if (cases.Count == 0)
        {
            throw new MedSegException("no validation predictions to decide post-processing on; train with a held-out fold (--folds 2 or more).");
        }
        var keepLargest = new PostProcessOptions { KeepLargest = true };
        var before = new double[classes.Count][];
        var after = new double[classes.Count][];
        for (var c = 0; c < classes.Count; c++)
        {
            before[c] = new double[cases.Count];
            after[c] = new double[cases.Count];
        }
        Parallel.For(0, cases.Count, i =>
        {
            var item = cases[i];
            var masks = ProbabilityThreshold.Apply(item.Probabilities, item.Depth, item.Height, item.Width, thresholds, null, PostProcessOptions.None);
            for (var c = 0; c < classes.Count; c++)
            {
                before[c][i] = ConfusionCounts.Of(masks[c], item.Truth[c]).Dice(EmptyPolicy.Skip);
                keepLargest.Apply(masks[c], item.Depth, item.Height, item.Width);
                after[c][i] = ConfusionCounts.Of(masks[c], item.Truth[c]).Dice(EmptyPolicy.Skip);
            }
        });
        var decisions = classes.Select((name, c) =>
        {
            var scored = before[c].Select((d, i) => (Before: d, After: after[c][i])).Where(s => !double.IsNaN(s.Before)).ToArray();
            return scored.Length == 0
                ? ClassPostProcessing.Of(name, null, null, 0)
                : ClassPostProcessing.Of(name, scored.Average(s => s.Before), scored.Average(s => s.After), scored.Length);
        }).ToArray();
        return new PostProcessingDecision(cases.Count, decisions, PostProcessingDecision.ValidationBasis);
    }

    /// <summary>
    /// The decision for a run without a held-out fold (one labelled case, <c>--folds 1</c>), where no prediction can be
    /// scored: a class keeps only its largest component when its label is one connected piece (3-D, 26-connected) in
    /// every training case-day that holds it. Such a structure is one piece in a new subject too, so a second piece
    /// in a prediction is a false positive; a class drawn in several pieces anywhere keeps them all. On the synthetic
    /// brain (one training subject, 2.5D, 12 minutes) this raised held-out Dice from 0.550 to 0.592 and cut HD95
    /// from 8.9 to 5.1 mm. <paramref name="truth"/> gives each training case-day's per-class D×H×W masks.
    /// </summary>
    public static PostProcessingDecision DecideOnLabels(IReadOnlyList<string> classes, IEnumerable<(int Depth, int Height, int Width, byte[][] Masks)> truth)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(truth);
        var holding = new int[classes.Count];
        var onePiece = Enumerable.Repeat(true, classes.Count).ToArray();
        var caseDays = 0;
        foreach (var (depth, height, width, masks) in truth)
        {
            caseDays++;
            Parallel.For(0, classes.Count, c =>
            {
                ConnectedComponents.Label(masks[c], [depth, height, width], Connectivity.Full, out var sizes);
                var pieces = sizes.Length - 1;
                if (pieces > 0)
                {
                    holding[c]++;
                    onePiece[c] &= pieces == 1;
                }
            });
        }
        var decisions = classes.Select((name, c) => new ClassPostProcessing(name, holding[c] > 0 && onePiece[c], null, null, holding[c])).ToArray();
        return new PostProcessingDecision(caseDays, decisions, PostProcessingDecision.TrainingLabelsBasis);
    }
}
