namespace MedSeg.Core.Metrics;

/// <summary>
/// Distances of the UW-Madison competition for one case-day: between all foreground voxels, with each voxel index
/// divided by the volume's extent along that axis (the volume spans the unit cube), divided by the unit cube's
/// diagonal √3 and capped at 1. Both masks empty: NaN (skipped); exactly one empty: 1.
/// </summary>
internal static class UnitCubeDistance
{
    /// <summary>
    /// Measures <paramref name="pred"/> against <paramref name="truth"/>, both depth × height × width row-major:
    /// symmetric, or from prediction to truth only when <paramref name="directed"/>. The result holds the Hausdorff
    /// distance, the HD95 (larger of the two directions when symmetric) and the mean of the distances (both directions
    /// pooled when symmetric), each normalised as above.
    /// </summary>
    public static HausdorffResult Measure(
        ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth, int depth, int height, int width, bool directed,
        int maxDegreeOfParallelism)
    {
        // One empty mask gives infinity, which the cap turns into the worst score, 1.
        HausdorffResult raw = SurfaceDistance.Measure(
            pred, truth, VoxelGrid.UnitCube(depth, height, width), PointSet.Foreground, directed, 95,
            EmptyPolicy.Infinity, EmptyPolicy.Skip, maxDegreeOfParallelism);
        return raw with
        {
            Hausdorff = Normalise(raw.Hausdorff),
            AtPercentile = Normalise(raw.AtPercentile),
            Average = Normalise(raw.Average),
        };
    }

    private static double Normalise(double distance) =>
        double.IsNaN(distance) ? double.NaN : Math.Min(1, distance / Math.Sqrt(3));
}
