using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class SurfaceDistanceTests
{
    [Fact]
    public void Two_voxels_three_apart_along_depth_are_7_5_mm_apart_at_2_5_mm_spacing()
    {
        int[] shape = [5, 3, 3];
        var pred = new byte[45];
        var truth = new byte[45];
        pred[(0 * 3 + 1) * 3 + 1] = 1;
        truth[(3 * 3 + 1) * 3 + 1] = 1;

        HausdorffResult result = SurfaceDistance.Compute(pred, truth, shape, [2.5, 1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);

        Assert.Equal(7.5, result.Hausdorff, 12);
        Assert.Equal(7.5, result.AtPercentile, 12);
        Assert.Equal(7.5, result.Average, 12);
        Assert.Equal(95, result.Percentile);
    }

    [Theory]
    [InlineData(0, 1, 1.5)]
    [InlineData(0, 3, 1.5)]
    [InlineData(1, 2, 0.7)]
    [InlineData(2, 3, 0.9)]
    public void Cube_shifted_by_k_voxels_has_Hausdorff_k_times_spacing(int axis, int k, double axisSpacing)
    {
        // A 4×4×4 cube in a 12×12×12 volume, and the same cube moved k voxels along one axis. Every predicted
        // surface voxel has a true surface voxel exactly k voxels away along that axis, and the face that leads
        // has nothing closer, so HD = k · spacing of that axis (mm, not voxels).
        int[] shape = [12, 12, 12];
        double[] spacing = [1.5, 0.7, 0.9];
        spacing[axis] = axisSpacing;
        int[] offset = [0, 0, 0];
        offset[axis] = k;

        HausdorffResult result = SurfaceDistance.Compute(
            Cube(shape, [2, 2, 2], 4), Cube(shape, [2 + offset[0], 2 + offset[1], 2 + offset[2]], 4), shape, spacing,
            EmptyPolicy.Infinity, EmptyPolicy.Skip);

        Assert.Equal(k * axisSpacing, result.Hausdorff, 12);
    }

    [Fact]
    public void Square_shifted_in_2d_uses_4_connected_surfaces_and_mm()
    {
        int[] shape = [10, 10];
        byte[] pred = Cube(shape, [2, 2], 5);
        byte[] truth = Cube(shape, [2, 4], 5);

        HausdorffResult result = SurfaceDistance.Compute(pred, truth, shape, [0.8, 1.25], EmptyPolicy.Infinity, EmptyPolicy.Skip);

        Assert.Equal(2 * 1.25, result.Hausdorff, 12);
    }

    [Fact]
    public void Filled_square_against_its_centre_differs_between_surface_and_foreground()
    {
        // 2-D, 7×7, spacing 1: truth is the filled 5×5 square at rows/columns 1..5, pred the centre voxel (3,3).
        int[] shape = [7, 7];
        byte[] truth = Cube(shape, [1, 1], 5);
        var pred = new byte[49];
        pred[3 * 7 + 3] = 1;

        // Surfaces: truth's surface is the 16-voxel ring, pred's is its single voxel.
        // pred→truth: the centre is 2 from the ring. truth→pred: ring offsets (dx,dy) with max(|dx|,|dy|) = 2:
        // 4 edge centres at 2, 8 at √5, 4 corners at √8. HD = √8.
        // HD95: pred→truth is [2]; truth→pred sorted has 16 values, position 0.95·15 = 14.25 lies between two √8.
        // ASSD = (2 + 4·2 + 8·√5 + 4·√8) / (1 + 16).
        HausdorffResult surface = SurfaceDistance.Compute(pred, truth, shape, [1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);
        Assert.Equal(Math.Sqrt(8), surface.Hausdorff, 12);
        Assert.Equal(Math.Sqrt(8), surface.AtPercentile, 12);
        Assert.Equal((2 + 4 * 2 + 8 * Math.Sqrt(5) + 4 * Math.Sqrt(8)) / 17, surface.Average, 12);

        // All foreground voxels: pred→truth is [0]; truth→pred covers all 25 offsets of the square:
        // 0, 4·1, 4·√2, 4·2, 8·√5, 4·√8. HD = √8; ASSD = that sum / (1 + 25).
        // HD95: position 0.95·24 = 22.8 among 25 sorted values, whose last four are √8.
        HausdorffResult foreground = SurfaceDistance.ComputeOverForeground(pred, truth, shape, [1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);
        Assert.Equal(Math.Sqrt(8), foreground.Hausdorff, 12);
        Assert.Equal(Math.Sqrt(8), foreground.AtPercentile, 12);
        Assert.Equal((4 + 4 * Math.Sqrt(2) + 4 * 2 + 8 * Math.Sqrt(5) + 4 * Math.Sqrt(8)) / 26, foreground.Average, 12);
    }

    [Fact]
    public void Percentile_interpolates_between_order_statistics_like_numpy()
    {
        // 1×7, spacing 2 mm: truth at column 1, pred at columns 1 and 4.
        // pred→truth = [0, 6] mm; truth→pred = [0]. 95th percentile of [0, 6]: 0 + 0.95·(6 − 0) = 5.7 mm.
        var truth = new byte[7];
        var pred = new byte[7];
        truth[1] = 1;
        pred[1] = 1;
        pred[4] = 1;

        HausdorffResult result = SurfaceDistance.ComputeOverForeground(pred, truth, [1, 7], [1.0, 2.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);

        Assert.Equal(6, result.Hausdorff, 12);
        Assert.Equal(5.7, result.AtPercentile, 12);
        Assert.Equal(2, result.Average, 12); // (0 + 6 + 0) / 3
    }

    public static TheoryData<int[], double[], double, int> RandomPairs => new()
    {
        { [9, 11], [0.7, 1.9], 0.3, 1 },
        { [4, 6, 7], [2.5, 0.8, 1.3], 0.25, 2 },
        { [6, 5, 8], [3.0, 0.7, 0.7], 0.5, 3 },
        { [3, 9, 9], [1.0, 1.0, 1.0], 0.05, 4 },
        { [5, 14, 19], [3.0, 1.5, 1.5], 0.2, 5 }, // planes of several SIMD vectors and a remainder
    };

    [Theory]
    [MemberData(nameof(RandomPairs))]
    public void Random_masks_match_brute_force_surfaces_and_numpy_percentiles(int[] shape, double[] spacing, double density, int seed)
    {
        var random = new Random(seed);
        int count = shape.Aggregate(1, (a, b) => a * b);
        foreach (double percentile in new[] { 0.0, 50.0, 95.0, 99.0, 100.0 })
        {
            byte[] pred = BruteForce.RandomMask(random, count, density);
            byte[] truth = BruteForce.RandomMask(random, count, density);
            foreach (bool surfaces in new[] { true, false })
            {
                byte[] predPoints = surfaces ? BruteForce.Surface(pred, shape) : pred;
                byte[] truthPoints = surfaces ? BruteForce.Surface(truth, shape) : truth;
                List<double> forward = BruteForce.DirectedDistances(predPoints, truthPoints, shape, spacing);
                List<double> backward = BruteForce.DirectedDistances(truthPoints, predPoints, shape, spacing);

                HausdorffResult result = surfaces
                    ? SurfaceDistance.Compute(pred, truth, shape, spacing, EmptyPolicy.Infinity, EmptyPolicy.Skip, percentile)
                    : SurfaceDistance.ComputeOverForeground(pred, truth, shape, spacing, EmptyPolicy.Infinity, EmptyPolicy.Skip, percentile);

                Assert.Equal(Math.Max(forward.Max(), backward.Max()), result.Hausdorff, 9);
                Assert.Equal(Math.Max(BruteForce.Percentile(forward, percentile), BruteForce.Percentile(backward, percentile)), result.AtPercentile, 9);
                Assert.Equal((forward.Sum() + backward.Sum()) / (forward.Count + backward.Count), result.Average, 9);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Points_far_from_the_other_mask_agree_with_brute_force(bool surfaces)
    {
        // Truth: three voxels in one corner; prediction: a dense block in the far corner. Searching outward from
        // each predicted voxel would visit most of the plane, so the planes fall back to the envelope passes;
        // both routes must give the brute-force distances.
        int[] shape = [3, 48, 40];
        double[] spacing = [2.0, 0.9, 1.3];
        var random = new Random(21);
        var truth = new byte[3 * 48 * 40];
        truth[(0 * 48 + 1) * 40 + 2] = 1;
        truth[(1 * 48 + 3) * 40 + 0] = 1;
        truth[(2 * 48 + 0) * 40 + 5] = 1;
        var pred = new byte[truth.Length];
        for (int d = 0; d < 3; d++)
        {
            for (int h = 30; h < 48; h++)
            {
                for (int w = 22; w < 40; w++)
                {
                    pred[(d * 48 + h) * 40 + w] = random.NextDouble() < 0.8 ? (byte)1 : (byte)0;
                }
            }
        }
        byte[] predPoints = surfaces ? BruteForce.Surface(pred, shape) : pred;
        byte[] truthPoints = surfaces ? BruteForce.Surface(truth, shape) : truth;
        List<double> forward = BruteForce.DirectedDistances(predPoints, truthPoints, shape, spacing);
        List<double> backward = BruteForce.DirectedDistances(truthPoints, predPoints, shape, spacing);

        HausdorffResult result = surfaces
            ? SurfaceDistance.Compute(pred, truth, shape, spacing, EmptyPolicy.Infinity, EmptyPolicy.Skip, 90, maxDegreeOfParallelism: 1)
            : SurfaceDistance.ComputeOverForeground(pred, truth, shape, spacing, EmptyPolicy.Infinity, EmptyPolicy.Skip, 90, maxDegreeOfParallelism: 1);

        Assert.Equal(Math.Max(forward.Max(), backward.Max()), result.Hausdorff, 9);
        Assert.Equal(Math.Max(BruteForce.Percentile(forward, 90), BruteForce.Percentile(backward, 90)), result.AtPercentile, 9);
        Assert.Equal((forward.Sum() + backward.Sum()) / (forward.Count + backward.Count), result.Average, 9);
    }

    [Fact]
    public void Empty_prediction_reports_the_one_empty_policy()
    {
        int[] shape = [3, 4, 4];
        byte[] truth = Cube(shape, [1, 1, 1], 2);
        var pred = new byte[48];

        HausdorffResult infinite = SurfaceDistance.Compute(pred, truth, shape, [1.0, 1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);
        HausdorffResult constant = SurfaceDistance.Compute(pred, truth, shape, [1.0, 1.0, 1.0], EmptyPolicy.Constant(373.5), EmptyPolicy.Skip);

        Assert.Equal(new HausdorffResult(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, 95), infinite);
        Assert.Equal(new HausdorffResult(373.5, 373.5, 373.5, 95), constant);
    }

    [Fact]
    public void Empty_truth_reports_the_one_empty_policy()
    {
        int[] shape = [3, 4, 4];
        byte[] pred = Cube(shape, [1, 1, 1], 2);

        HausdorffResult result = SurfaceDistance.ComputeOverForeground(pred, new byte[48], shape, [1.0, 1.0, 1.0], EmptyPolicy.One, EmptyPolicy.Zero, 90);

        Assert.Equal(new HausdorffResult(1, 1, 1, 90), result);
    }

    [Fact]
    public void Both_empty_reports_the_both_empty_policy()
    {
        int[] shape = [3, 4, 4];
        var empty = new byte[48];

        HausdorffResult skipped = SurfaceDistance.Compute(empty, empty, shape, [1.0, 1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);
        HausdorffResult zero = SurfaceDistance.Compute(empty, empty, shape, [1.0, 1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Zero);

        Assert.True(double.IsNaN(skipped.Hausdorff) && double.IsNaN(skipped.AtPercentile) && double.IsNaN(skipped.Average));
        Assert.Equal(new HausdorffResult(0, 0, 0, 95), zero);
    }

    [Fact]
    public void Identical_masks_are_zero_apart()
    {
        int[] shape = [6, 7, 8];
        byte[] mask = Cube(shape, [1, 2, 3], 3);

        HausdorffResult result = SurfaceDistance.Compute(mask, mask, shape, [2.0, 1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip);

        Assert.Equal(new HausdorffResult(0, 0, 0, 95), result);
    }

    [Fact]
    public void Invalid_input_is_reported()
    {
        int[] shape = [2, 4];
        var mask = new byte[8];
        mask[0] = 1;

        Assert.Throws<MedSegException>(() => SurfaceDistance.Compute(mask, new byte[7], shape, [1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip));
        Assert.Throws<MedSegException>(() => SurfaceDistance.Compute(mask, mask, shape, [1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip, 101));
        Assert.Throws<MedSegException>(() => SurfaceDistance.Compute(mask, mask, shape, [1.0, 1.0], EmptyPolicy.Infinity, EmptyPolicy.Skip, double.NaN));
    }

    // A cube (square in 2-D) of side `side` whose lowest corner is at `start`.
    private static byte[] Cube(int[] shape, int[] start, int side)
    {
        var mask = new byte[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < mask.Length; i++)
        {
            int[] c = BruteForce.Coordinates(i, shape);
            bool inside = true;
            for (int axis = 0; axis < shape.Length; axis++)
            {
                inside &= c[axis] >= start[axis] && c[axis] < start[axis] + side;
            }
            mask[i] = inside ? (byte)1 : (byte)0;
        }
        return mask;
    }
}
