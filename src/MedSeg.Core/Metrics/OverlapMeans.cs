namespace MedSeg.Core.Metrics;

/// <summary>Running means of the overlap ratios of items (slices, volumes or classes); skipped items are left out.</summary>
internal readonly record struct OverlapMeans(
    RunningMean Dice, RunningMean Iou, RunningMean Precision, RunningMean Recall, RunningMean Specificity)
{
    /// <summary>These means with the ratios of one item included, both-empty cases as <paramref name="bothEmpty"/> says.</summary>
    public OverlapMeans Add(ConfusionCounts counts, EmptyPolicy bothEmpty) => new(
        Dice.Add(counts.Dice(bothEmpty)),
        Iou.Add(counts.Iou(bothEmpty)),
        Precision.Add(counts.Precision(bothEmpty)),
        Recall.Add(counts.Recall(bothEmpty)),
        Specificity.Add(counts.Specificity(bothEmpty)));

    /// <summary>The means over the items of both.</summary>
    public static OverlapMeans operator +(OverlapMeans a, OverlapMeans b) =>
        new(a.Dice + b.Dice, a.Iou + b.Iou, a.Precision + b.Precision, a.Recall + b.Recall, a.Specificity + b.Specificity);

    /// <summary>The means as public scores.</summary>
    public OverlapScores ToScores() =>
        new(Dice.Value, Iou.Value, Precision.Value, Recall.Value, Dice.Value, Specificity.Value, Dice.Count);
}
