namespace MedSeg.Core.Metrics;

/// <summary>
/// Where an overlap metric takes its ratio before averaging: every (slice, class) pair, every (volume, class)
/// pair, or once per class over everything. Counts add up, so the levels differ only in where the ratio is
/// taken; the choice changes the result a lot when many slices are empty, so it is always explicit.
/// </summary>
public enum OverlapAggregation
{
    /// <summary>One score per (slice, class), averaged (the UW-Madison competition's Dice).</summary>
    Slice,

    /// <summary>One score per (volume, class) from the volume's summed counts, averaged (nnU-Net's per-case Dice).</summary>
    Volume,

    /// <summary>One score per class from the counts of all volumes together (micro-averaged over voxels).</summary>
    Global,
}
