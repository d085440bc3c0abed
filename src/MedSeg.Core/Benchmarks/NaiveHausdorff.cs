namespace MedSeg.Core.Benchmarks;

/// <summary>
/// The straightforward way to get Hausdorff distances, kept as the benchmarks' baseline (what MONAI does with
/// SciPy): extract the point sets over the whole volume, take a full-volume distance transform of each, read it
/// at the other set's points, and sort for the percentile. No cropping, no search around the points.
/// </summary>
internal static class NaiveHausdorff
{
    /// <summary>Symmetric (Hausdorff, percentile) between <paramref name="pred"/> and <paramref name="truth"/>; NaN when either is empty.</summary>
    /// <param name="pred">D×H×W mask; nonzero = foreground.</param>
    /// <param name="truth">Same layout.</param>
    /// <param name="shape">(D,H,W).</param>
    /// <param name="spacing">Voxel size per axis.</param>
    /// <param name="surfaces">Surface voxels (6-connected) when true, else all foreground voxels.</param>
    /// <param name="percentile">0–100.</param>
    public static (double Hausdorff, double AtPercentile) Measure(
        byte[] pred, byte[] truth, int[] shape, double[] spacing, bool surfaces, double percentile)
    {
        byte[] predPoints = surfaces ? Surface(pred, shape) : pred;
        byte[] truthPoints = surfaces ? Surface(truth, shape) : truth;
        var forward = Directed(predPoints, truthPoints, shape, spacing);
        var backward = Directed(truthPoints, predPoints, shape, spacing);
        if (forward.Length == 0 || backward.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        return (Math.Max(forward[^1], backward[^1]), Math.Max(Percentile(forward, percentile), Percentile(backward, percentile)));
    }

    // Sorted distances from each point of `from` to the nearest point of `to`.
    private static double[] Directed(byte[] from, byte[] to, int[] shape, double[] spacing)
    {
        double[] field = Metrics.EuclideanDistanceTransform.SquaredDistanceToForeground(to, shape, spacing, maxDegreeOfParallelism: 1);
        var distances = new List<double>();
        for (int i = 0; i < from.Length; i++)
        {
            if (from[i] != 0)
            {
                distances.Add(Math.Sqrt(field[i]));
            }
        }
        double[] sorted = [.. distances];
        Array.Sort(sorted);
        return sorted;
    }

    private static double Percentile(double[] sorted, double percent)
    {
        double position = percent / 100 * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    private static byte[] Surface(byte[] mask, int[] shape)
    {
        int depth = shape[0], height = shape[1], width = shape[2], plane = height * width;
        var surface = new byte[mask.Length];
        for (int d = 0; d < depth; d++)
        {
            for (int h = 0; h < height; h++)
            {
                for (int w = 0; w < width; w++)
                {
                    int i = (d * height + h) * width + w;
                    if (mask[i] == 0)
                    {
                        continue;
                    }
                    bool interior = d > 0 && d < depth - 1 && h > 0 && h < height - 1 && w > 0 && w < width - 1
                        && mask[i - 1] != 0 && mask[i + 1] != 0 && mask[i - width] != 0 && mask[i + width] != 0
                        && mask[i - plane] != 0 && mask[i + plane] != 0;
                    surface[i] = interior ? (byte)0 : (byte)1;
                }
            }
        }
        return surface;
    }
}
