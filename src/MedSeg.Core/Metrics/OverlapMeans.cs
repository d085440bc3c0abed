namespace MedSeg.Core.Metrics;

/// <summary>Running means of the overlap scores of (slice, class) pairs; both-empty pairs are skipped.</summary>
internal readonly record struct OverlapMeans(RunningMean Dice, RunningMean Iou, RunningMean Precision, RunningMean Recall)
{
    /// <summary>These means with the scores of one (slice, class) pair included.</summary>
    public OverlapMeans Add(ConfusionCounts counts) => new(
        Dice.Add(counts.Dice(EmptyPolicy.Skip)),
        Iou.Add(counts.Iou(EmptyPolicy.Skip)),
        Precision.Add(counts.Precision(EmptyPolicy.Skip)),
        Recall.Add(counts.Recall(EmptyPolicy.Skip)));

    /// <summary>The means over the pairs of both.</summary>
    public static OverlapMeans operator +(OverlapMeans a, OverlapMeans b) =>
        new(a.Dice + b.Dice, a.Iou + b.Iou, a.Precision + b.Precision, a.Recall + b.Recall);
}
