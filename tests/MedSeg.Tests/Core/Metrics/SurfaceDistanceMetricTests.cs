using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class SurfaceDistanceMetricTests
{
    private static readonly int[] Shape = [4, 6, 6];
    private static readonly double[] Spacing = [2.0, 1.0, 0.5];
    private static readonly double Diagonal = Math.Sqrt(8 * 8 + 6 * 6 + 3 * 3); // (4·2, 6·1, 6·0.5) mm

    // vol1: a = a 2×2×2 cube and the same cube one column (0.5 mm) further along width; every voxel of a 2-voxel
    //       cube is a surface voxel, half of each side's voxels touch the other side, half are 0.5 mm away:
    //       HD = HD95 = 0.5 mm, ASSD = (8·0 + 8·0.5) / 16 = 0.25 mm. b = nothing predicted, one true voxel:
    //       every distance is the volume diagonal √109 mm.
    // vol2: a = both empty (skipped), b = identical single voxels (0 mm).
    [Fact]
    public void Per_class_per_volume_and_overall_means_match_the_hand_computation()
    {
        var metric = new SurfaceDistanceMetric(["a", "b"]);
        AddHandVolumes(metric);

        SurfaceDistanceResult result = metric.Compute();

        Assert.Equal(new DistanceScores(0.5, 0.5, 0.25, 1), result.PerClass["a"]);
        DistanceScores b = result.PerClass["b"];
        Assert.Equal(Diagonal / 2, b.Hausdorff, 12);
        Assert.Equal(Diagonal / 2, b.Average, 12);
        Assert.Equal(2, b.Count);
        Assert.Equal((0.5 + Diagonal + 0) / 3, result.Overall.Hausdorff, 12);
        Assert.Equal((0.25 + Diagonal + 0) / 3, result.Overall.Average, 12);
        Assert.Equal(["vol1", "vol2"], result.PerVolume.Keys);
        Assert.Equal((0.5 + Diagonal) / 2, result.PerVolume["vol1"].Overall.Hausdorff, 12);
        Assert.True(double.IsNaN(result.PerVolume["vol2"].PerClass["a"].Hausdorff));
        Assert.Equal(0, result.PerVolume["vol2"].Overall.Hausdorff);
    }

    [Fact]
    public void Label_maps_measure_like_the_masks_they_encode()
    {
        var masks = new SurfaceDistanceMetric(["a", "b"]);
        AddHandVolumes(masks);
        var labels = new SurfaceDistanceMetric(["a", "b"]);
        byte[][] vol1Pred = Vol1Pred(), vol1Truth = Vol1Truth(), vol2 = Vol2();
        labels.UpdateLabels<byte>("vol1", Shape, Spacing, Combine(vol1Pred), Combine(vol1Truth));
        labels.UpdateLabels<int>("vol2", Shape, Spacing, Combine(vol2).Select(v => (int)v).ToArray(), Combine(vol2).Select(v => (int)v).ToArray());

        SurfaceDistanceResult expected = masks.Compute(), actual = labels.Compute();

        Assert.Equal(expected.Overall, actual.Overall);
        Assert.Equal(expected.PerClass, actual.PerClass);
    }

    [Fact]
    public void Invalid_updates_are_reported()
    {
        var metric = new SurfaceDistanceMetric(["a", "b"]);
        AddHandVolumes(metric);

        Assert.Throws<MedSegException>(() => metric.Update("vol1", Shape, Spacing, Vol2(), Vol2()));
        Assert.Throws<MedSegException>(() => metric.Update("vol3", Shape, Spacing, [new byte[144]], [new byte[144]]));
        Assert.Throws<MedSegException>(() => metric.Update("vol4", Shape, [1.0, 1.0], Vol2(), Vol2()));
        Assert.Throws<MedSegException>(() => metric.UpdateLabels<byte>("vol5", Shape, Spacing, new byte[143], new byte[144]));
        Assert.Throws<MedSegException>(() => new SurfaceDistanceMetric(["a"], percentile: 101));
        metric.Reset();
        Assert.Empty(metric.Compute().PerVolume);
    }

    private static void AddHandVolumes(SurfaceDistanceMetric metric)
    {
        metric.Update("vol2", Shape, Spacing, Vol2(), Vol2());
        metric.Update("vol1", Shape, Spacing, Vol1Pred(), Vol1Truth());
    }

    private static byte[][] Vol1Pred() => [Cube(1, 1, 1), new byte[144]];

    private static byte[][] Vol1Truth() => [Cube(1, 1, 2), Voxel(3, 5, 5)];

    private static byte[][] Vol2() => [new byte[144], Voxel(0, 0, 0)];

    // Label map of disjoint class masks: class k (0-based) becomes label k + 1.
    private static byte[] Combine(byte[][] masks)
    {
        var labels = new byte[masks[0].Length];
        for (int c = 0; c < masks.Length; c++)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = masks[c][i] != 0 ? (byte)(c + 1) : labels[i];
            }
        }
        return labels;
    }

    private static byte[] Cube(int d0, int h0, int w0)
    {
        var mask = new byte[144];
        for (int d = d0; d < d0 + 2; d++)
        {
            for (int h = h0; h < h0 + 2; h++)
            {
                for (int w = w0; w < w0 + 2; w++)
                {
                    mask[(d * 6 + h) * 6 + w] = 1;
                }
            }
        }
        return mask;
    }

    private static byte[] Voxel(int d, int h, int w)
    {
        var mask = new byte[144];
        mask[(d * 6 + h) * 6 + w] = 1;
        return mask;
    }
}
