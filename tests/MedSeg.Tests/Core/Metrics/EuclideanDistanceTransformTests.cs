using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class EuclideanDistanceTransformTests
{
    public static TheoryData<int[], double[], double, int> RandomVolumes => new()
    {
        { [7, 9], [0.7, 1.9], 0.1, 1 },
        { [13, 5], [2.5, 0.3], 0.02, 2 },
        { [1, 17], [1.0, 0.45], 0.15, 3 },
        { [11, 1], [0.9, 4.0], 0.2, 4 },
        { [5, 6, 7], [2.5, 0.8, 1.3], 0.05, 5 },
        { [9, 4, 11], [3.0, 0.7, 0.7], 0.01, 6 },
        { [6, 8, 5], [0.5, 1.25, 2.0], 0.3, 7 },
        { [1, 7, 9], [3.0, 1.1, 0.6], 0.08, 8 },
        { [8, 1, 6], [1.7, 1.0, 0.9], 0.1, 9 },
        { [7, 6, 1], [1.3, 2.2, 1.0], 0.1, 10 },
        { [6, 16, 23], [2.0, 0.9, 1.1], 0.02, 11 }, // planes of several SIMD vectors and a remainder
    };

    [Theory]
    [MemberData(nameof(RandomVolumes))]
    public void Random_masks_match_brute_force_with_anisotropic_spacing(int[] shape, double[] spacing, double density, int seed)
    {
        var random = new Random(seed);
        int count = shape.Aggregate(1, (a, b) => a * b);
        for (int trial = 0; trial < 5; trial++)
        {
            byte[] mask = BruteForce.RandomMask(random, count, density);
            double[] expected = BruteForce.SquaredDistanceTransform(mask, shape, spacing);

            double[] actual = EuclideanDistanceTransform.SquaredDistanceToForeground(mask, shape, spacing);

            for (int i = 0; i < count; i++)
            {
                if (double.IsPositiveInfinity(expected[i]))
                {
                    Assert.True(double.IsPositiveInfinity(actual[i]), $"voxel {i}: expected +inf, got {actual[i]}");
                }
                else
                {
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9, $"voxel {i}: expected {expected[i]}, got {actual[i]}");
                }
            }
        }
    }

    [Fact]
    public void Single_voxel_gives_known_squared_distances_in_mm()
    {
        // One foreground voxel at (2,2,2) of a 5×5×5 volume, spacing 2 × 1 × 0.5 mm.
        var mask = new byte[125];
        mask[(2 * 5 + 2) * 5 + 2] = 1;

        double[] distances = EuclideanDistanceTransform.SquaredDistanceToForeground(mask, [5, 5, 5], [2.0, 1.0, 0.5]);

        Assert.Equal(0, distances[(2 * 5 + 2) * 5 + 2]);
        // Corner (0,0,0): (2·2)² + (2·1)² + (2·0.5)² = 16 + 4 + 1 = 21 mm².
        Assert.Equal(21, distances[0], 12);
        // (4,2,2): two steps along depth only: (2·2)² = 16 mm².
        Assert.Equal(16, distances[(4 * 5 + 2) * 5 + 2], 12);
        // (2,2,0): two steps along width only: (2·0.5)² = 1 mm².
        Assert.Equal(1, distances[(2 * 5 + 2) * 5], 12);
    }

    [Fact]
    public void Empty_mask_is_infinitely_far_everywhere()
    {
        double[] distances = EuclideanDistanceTransform.SquaredDistanceToForeground(new byte[24], [2, 3, 4], [1.0, 1.0, 1.0]);

        Assert.All(distances, d => Assert.True(double.IsPositiveInfinity(d)));
    }

    [Fact]
    public void Full_mask_is_zero_everywhere()
    {
        byte[] mask = Enumerable.Repeat((byte)1, 30).ToArray();

        double[] distances = EuclideanDistanceTransform.SquaredDistanceToForeground(mask, [5, 6], [0.3, 0.9]);

        Assert.All(distances, d => Assert.Equal(0, d));
    }

    [Fact]
    public void Result_does_not_depend_on_thread_count()
    {
        int[] shape = [17, 33, 41];
        byte[] mask = BruteForce.RandomMask(new Random(42), 17 * 33 * 41, 0.002);

        double[] single = EuclideanDistanceTransform.SquaredDistanceToForeground(mask, shape, [2.5, 0.7, 0.9], maxDegreeOfParallelism: 1);
        double[] parallel = EuclideanDistanceTransform.SquaredDistanceToForeground(mask, shape, [2.5, 0.7, 0.9], maxDegreeOfParallelism: 4);

        Assert.Equal(single, parallel);
    }

    [Theory]
    [InlineData(new[] { 4 }, new[] { 1.0 })]
    [InlineData(new[] { 2, 2, 1, 1 }, new[] { 1.0, 1.0, 1.0, 1.0 })]
    [InlineData(new[] { 2, 2 }, new[] { 1.0 })]
    [InlineData(new[] { 2, 2 }, new[] { 1.0, 0.0 })]
    [InlineData(new[] { 2, 2 }, new[] { 1.0, double.NaN })]
    [InlineData(new[] { 0, 4 }, new[] { 1.0, 1.0 })]
    [InlineData(new[] { 2, 3 }, new[] { 1.0, 1.0 })]
    public void Malformed_shape_spacing_or_mask_is_reported(int[] shape, double[] spacing)
    {
        Assert.Throws<MedSegException>(() => EuclideanDistanceTransform.SquaredDistanceToForeground(new byte[4], shape, spacing));
    }
}
