namespace MedSeg.Core.Metrics;

/// <summary>Sum and count of the values averaged so far; NaN values (skipped cases) are left out.</summary>
internal readonly record struct RunningMean(double Sum, long Count)
{
    /// <summary>The mean; NaN when nothing has been averaged.</summary>
    public double Value => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>This mean with <paramref name="value"/> included, unless it is NaN.</summary>
    public RunningMean Add(double value) => double.IsNaN(value) ? this : new RunningMean(Sum + value, Count + 1);

    /// <summary>The mean of the values of both.</summary>
    public static RunningMean operator +(RunningMean a, RunningMean b) => new(a.Sum + b.Sum, a.Count + b.Count);
}
