namespace MedSeg.Core.Metrics;

/// <summary>
/// Hausdorff distance, percentile Hausdorff distance (HD95) and average symmetric surface distance between a
/// predicted and a true binary mask, in mm, from exact Euclidean distance transforms, as MONAI computes them.
/// </summary>
/// <remarks>
/// <see cref="Compute"/> measures between surface voxels: the mask XOR its erosion by the 6-connected cross
/// (4-connected in 2-D), with voxels outside the volume counted as background. <see cref="ComputeOverForeground"/>
/// measures between all foreground voxels (the UW-Madison competition's point sets). Masks are row-major
/// (H,W) or (D,H,W) with the last axis fastest; nonzero is foreground. The work is confined to the bounding
/// box of both masks, which gives the same distances as the whole volume.
/// </remarks>
public static class SurfaceDistance
{
    /// <summary>Distances between the surface voxels of <paramref name="pred"/> and <paramref name="truth"/> (mm).</summary>
    /// <param name="pred">Predicted mask, row-major, last axis fastest; nonzero = foreground.</param>
    /// <param name="truth">True mask, same layout.</param>
    /// <param name="shape">(H,W) or (D,H,W).</param>
    /// <param name="spacing">Voxel size along each axis of <paramref name="shape"/>, same order (mm).</param>
    /// <param name="oneEmpty">Reported for every distance when exactly one mask is empty (MONAI: infinity).</param>
    /// <param name="bothEmpty">Reported for every distance when both masks are empty (MONAI: NaN, i.e. skip).</param>
    /// <param name="percentile">Percentile for <see cref="HausdorffResult.AtPercentile"/>, 0–100; default 95.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transforms; -1 (default) lets the pool decide.</param>
    /// <exception cref="MedSegException">Shapes, spacing or percentile are invalid.</exception>
    public static HausdorffResult Compute(
        ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing,
        EmptyPolicy oneEmpty, EmptyPolicy bothEmpty, double percentile = 95, int maxDegreeOfParallelism = -1) =>
        Measure(pred, truth, VoxelGrid.Create(shape, spacing), PointSet.Surface, directed: false,
            percentile, oneEmpty, bothEmpty, maxDegreeOfParallelism);

    /// <summary>
    /// Distances between all foreground voxels of <paramref name="pred"/> and <paramref name="truth"/> (mm):
    /// voxels in both masks are at distance 0. Parameters as in <see cref="Compute"/>.
    /// </summary>
    /// <exception cref="MedSegException">Shapes, spacing or percentile are invalid.</exception>
    public static HausdorffResult ComputeOverForeground(
        ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing,
        EmptyPolicy oneEmpty, EmptyPolicy bothEmpty, double percentile = 95, int maxDegreeOfParallelism = -1) =>
        Measure(pred, truth, VoxelGrid.Create(shape, spacing), PointSet.Foreground, directed: false,
            percentile, oneEmpty, bothEmpty, maxDegreeOfParallelism);

    /// <summary>
    /// Distances between the point sets of two masks laid out as <paramref name="grid"/>: symmetric, or only
    /// from <paramref name="pred"/> to <paramref name="truth"/> when <paramref name="directed"/>.
    /// </summary>
    internal static HausdorffResult Measure(
        ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth, VoxelGrid grid, PointSet points, bool directed,
        double percentile, EmptyPolicy oneEmpty, EmptyPolicy bothEmpty, int maxDegreeOfParallelism)
    {
        grid.RequireLength(pred.Length, "prediction");
        grid.RequireLength(truth.Length, "truth");
        if (!(percentile is >= 0 and <= 100))
        {
            throw new MedSegException($"Percentile must be between 0 and 100, got {percentile}.");
        }
        bool hasPred = BoundingBox.TryFind(pred, grid, out BoundingBox predBox);
        bool hasTruth = BoundingBox.TryFind(truth, grid, out BoundingBox truthBox);
        if (!hasPred || !hasTruth)
        {
            double value = hasPred || hasTruth ? oneEmpty.Value : bothEmpty.Value;
            return new HausdorffResult(value, value, value, percentile);
        }
        using PointSetPair pair = PointSetPair.Create(pred, truth, grid, predBox.Union(truthBox), points);
        DirectedDistances forward = pair.FirstToSecond(percentile, maxDegreeOfParallelism);
        if (directed)
        {
            return new HausdorffResult(forward.Maximum, forward.AtPercentile, forward.Sum / forward.Count, percentile);
        }
        DirectedDistances backward = pair.SecondToFirst(percentile, maxDegreeOfParallelism);
        return new HausdorffResult(
            Math.Max(forward.Maximum, backward.Maximum),
            Math.Max(forward.AtPercentile, backward.AtPercentile),
            (forward.Sum + backward.Sum) / (forward.Count + backward.Count),
            percentile);
    }
}
