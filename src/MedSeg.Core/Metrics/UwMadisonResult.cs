namespace MedSeg.Core.Metrics;

/// <summary>
/// Result of a UW-Madison evaluation: the figures over all case-days, per class, and per case-day (each with
/// its own per-class figures and an empty <see cref="PerCase"/>).
/// </summary>
/// <param name="Overall">Figures over all case-days.</param>
/// <param name="PerClass">Class name → figures of that class alone, in class order.</param>
/// <param name="PerCase">Case-day id → that case-day's result, ordered by id (ordinal).</param>
public sealed record UwMadisonResult(
    UwMadisonMetrics Overall,
    IReadOnlyDictionary<string, UwMadisonMetrics> PerClass,
    IReadOnlyDictionary<string, UwMadisonResult> PerCase)
{
    /// <summary>0.4·Dice + 0.6·(1 − Hausdorff).</summary>
    public double Score => Overall.Score;

    /// <summary>Mean Dice over (slice, class) pairs, both-empty pairs skipped.</summary>
    public double Dice => Overall.Dice;

    /// <summary>Mean IoU over (slice, class) pairs, both-empty pairs skipped.</summary>
    public double Iou => Overall.Iou;

    /// <summary>Mean precision over (slice, class) pairs, both-empty pairs skipped.</summary>
    public double Precision => Overall.Precision;

    /// <summary>Mean recall over (slice, class) pairs, both-empty pairs skipped.</summary>
    public double Recall => Overall.Recall;

    /// <summary>Mean normalised Hausdorff distance (0 best, 1 worst).</summary>
    public double Hausdorff => Overall.Hausdorff;

    /// <summary>Mean normalised 95th percentile Hausdorff distance (0 best, 1 worst).</summary>
    public double Hd95 => Overall.Hd95;
}
