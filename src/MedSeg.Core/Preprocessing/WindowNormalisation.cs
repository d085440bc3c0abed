namespace MedSeg.Core.Preprocessing;

/// <summary><c>window:LO:HI</c>: raw values (original units, e.g. HU, for slices with an <see cref="IntensityMapping"/>) clipped to [<see cref="Low"/>, <see cref="High"/>] and mapped linearly onto [0, 1].</summary>
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
    public override void Apply(ReadOnlySpan<ushort> image, Span<float> output) => Window(image, Low, High, output);

    /// <inheritdoc />
    /// <remarks>The window in stored units: the same linear map, so the result equals windowing the original values.</remarks>
    private protected override void ApplyMapped(ReadOnlySpan<ushort> image, IntensityMapping mapping, Span<float> output) =>
        Window(image, (Low - mapping.Offset) / mapping.Scale, (High - mapping.Offset) / mapping.Scale, output);

    private static void Window(ReadOnlySpan<ushort> image, double low, double high, Span<float> output)
    {
        var scale = 1 / (high - low);
        for (var p = 0; p < image.Length; p++)
        {
            output[p] = (float)((Math.Clamp(image[p], low, high) - low) * scale);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"window:{Format(Low)}:{Format(High)}";
}
