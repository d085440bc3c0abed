namespace MedSeg.Core.Metrics;

/// <summary>The precision–recall curves of all classes of a <see cref="PrecisionRecallMetric"/>.</summary>
/// <param name="Curves">One curve per class, in class order.</param>
public sealed record PrecisionRecallResult(IReadOnlyList<PrecisionRecallCurve> Curves)
{
    /// <summary>Mean average precision over the classes that have positives; NaN when none has.</summary>
    public double MeanAveragePrecision
    {
        get
        {
            RunningMean mean = default;
            foreach (PrecisionRecallCurve curve in Curves)
            {
                mean = mean.Add(curve.AveragePrecision);
            }
            return mean.Value;
        }
    }
}
