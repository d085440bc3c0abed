namespace MedSeg.Core.Metrics;

/// <summary>Running means of surface distances; skipped (NaN) pairs are left out.</summary>
internal readonly record struct DistanceMeans(RunningMean Hausdorff, RunningMean AtPercentile, RunningMean Average)
{
    /// <summary>These means with one pair's distances included.</summary>
    public DistanceMeans Add(HausdorffResult distances) => new(
        Hausdorff.Add(distances.Hausdorff), AtPercentile.Add(distances.AtPercentile), Average.Add(distances.Average));

    /// <summary>The means over the pairs of both.</summary>
    public static DistanceMeans operator +(DistanceMeans a, DistanceMeans b) =>
        new(a.Hausdorff + b.Hausdorff, a.AtPercentile + b.AtPercentile, a.Average + b.Average);

    /// <summary>The means as public scores.</summary>
    public DistanceScores ToScores() => new(Hausdorff.Value, AtPercentile.Value, Average.Value, Hausdorff.Count);
}
