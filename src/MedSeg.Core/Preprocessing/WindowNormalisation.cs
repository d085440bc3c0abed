namespace MedSeg.Core.Preprocessing;

/// <summary><c>window:LO:HI</c>: raw values clipped to [<see cref="Low"/>, <see cref="High"/>] and mapped linearly onto [0, 1].</summary>
public sealed class WindowNormalisation : IntensityNormalisation
{
    public WindowNormalisation(double low, double high)
    {
        if (!(low < high))
        {
            throw new ArgumentOutOfRangeException(nameof(high), $"the window's upper end {high} must be above its lower end {low}.");
        }
        Low = low;
        High = high;
    }

    /// <summary>The raw value mapped to 0.</summary>
    public double Low { get; }

    /// <summary>The raw value mapped to 1.</summary>
    public double High { get; }

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<ushort> image, Span<float> output)
    {
        var scale = 1 / (High - Low);
        for (var p = 0; p < image.Length; p++)
        {
            output[p] = (float)((Math.Clamp(image[p], Low, High) - Low) * scale);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"window:{Format(Low)}:{Format(High)}";
}
