using System.Buffers;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// <c>percentile:LO:HI</c>: the image clipped to its own <see cref="Low"/>-th and <see cref="High"/>-th percentiles
/// (linear interpolation between ranks, as numpy's default), then z-scored with the mean and standard deviation of
/// the clipped image. nnU-Net clips CT to dataset-wide foreground percentiles; per image is the form that needs no
/// dataset fingerprint and suits MRI, whose intensities have no fixed scale.
/// </summary>
public sealed class PercentileNormalisation : IntensityNormalisation
{
    private const int Levels = ushort.MaxValue + 1;

    public PercentileNormalisation(double low, double high)
    {
        if (!(low >= 0 && low < high && high <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(high), $"percentiles must satisfy 0 <= low < high <= 100, not {low} and {high}.");
        }
        Low = low;
        High = high;
    }

    /// <summary>The lower clipping percentile (0–100).</summary>
    public double Low { get; }

    /// <summary>The upper clipping percentile (0–100).</summary>
    public double High { get; }

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<ushort> image, Span<float> output)
    {
        if (image.IsEmpty)
        {
            return;
        }
        // A histogram over the 16-bit range finds order statistics in O(n + 65536) instead of sorting the image.
        var histogram = ArrayPool<int>.Shared.Rent(Levels);
        try
        {
            Array.Clear(histogram, 0, Levels);
            foreach (var v in image)
            {
                histogram[v]++;
            }
            var low = (float)Percentile(histogram, image.Length, Low);
            var high = (float)Percentile(histogram, image.Length, High);
            for (var p = 0; p < image.Length; p++)
            {
                output[p] = Math.Clamp(image[p], low, high);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(histogram);
        }
        ZScore(output, output);
    }

    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="count"/> values, interpolating between the two nearest ranks.</summary>
    private static double Percentile(int[] histogram, int count, double percent)
    {
        var position = percent / 100 * (count - 1);
        var below = (int)Math.Floor(position);
        var lower = OrderStatistic(histogram, below);
        var upper = below + 1 < count ? OrderStatistic(histogram, below + 1) : lower;
        return lower + (position - below) * (upper - lower);
    }

    /// <summary>The value of rank <paramref name="rank"/> (0 = smallest).</summary>
    private static int OrderStatistic(int[] histogram, int rank)
    {
        var seen = 0;
        for (var value = 0; value < Levels; value++)
        {
            seen += histogram[value];
            if (seen > rank)
            {
                return value;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} exceeds the {seen} values.");
    }

    /// <inheritdoc />
    public override string ToString() => $"percentile:{Format(Low)}:{Format(High)}";
}
