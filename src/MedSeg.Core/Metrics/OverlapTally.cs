namespace MedSeg.Core.Metrics;

/// <summary>What an <see cref="OverlapMetric"/> keeps of one (volume, class): summed counts and the running means of its slices' ratios.</summary>
internal readonly record struct OverlapTally(ConfusionCounts Counts, OverlapMeans Slices)
{
    /// <summary>This tally with one more slice.</summary>
    public OverlapTally AddSlice(ConfusionCounts slice, EmptyPolicy bothEmpty) => new(Counts + slice, Slices.Add(slice, bothEmpty));

    /// <summary>The slices of both.</summary>
    public static OverlapTally operator +(OverlapTally a, OverlapTally b) => new(a.Counts + b.Counts, a.Slices + b.Slices);
}
