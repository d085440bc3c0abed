using MedSeg.Core.Inference;
using MedSeg.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>Sliding-window inference against whole-volume inference, the importance map, and the window grid.</summary>
public sealed class SlidingWindowInfererTests
{
    /// <summary>A pointwise network (1×1×1 convolutions): its output at a voxel depends on that voxel alone, so any window placement must reproduce it.</summary>
    internal static nn.Module<Tensor, Tensor> PointwiseNet()
    {
        var generator = new Generator(11);
        var net = nn.Sequential(nn.Conv3d(2, 6, 1), nn.Tanh(), nn.Conv3d(6, 3, 1));
        using (no_grad())
        {
            foreach (var p in net.parameters())
            {
                p.copy_(randn(p.shape, generator: generator));
            }
        }
        net.eval();
        return net;
    }

    [Theory]
    [InlineData(13, 21, 18, WindowBlend.Gaussian, 0.5)]
    [InlineData(13, 21, 18, WindowBlend.Constant, 0.25)]
    [InlineData(5, 21, 6, WindowBlend.Gaussian, 0.5)] // smaller than the window along D and W: padded and cropped back
    public void EqualsWholeVolumeInferenceOfAPointwiseNetwork(int depth, int height, int width, WindowBlend blend, double overlap)
    {
        using var scope = NewDisposeScope();
        using var net = PointwiseNet();
        var volume = randn([2, 2, depth, height, width], generator: new Generator(3));
        var inferer = new SlidingWindowInferer([8, 8, 8], overlap, blend, windowBatch: 3);
        var windowed = inferer.Infer(volume, x => net.call(x).sigmoid());
        using var noGrad = no_grad();
        var whole = net.call(volume).sigmoid();
        Assert.Equal(whole.shape, windowed.shape);
        Assert.True(whole.allclose(windowed, rtol: 1e-5, atol: 1e-6), $"max difference {(whole - windowed).abs().max().item<float>()}");
    }

    [Fact]
    public void StreamedSlabsArriveInDepthOrderAndCoverTheVolumeOnce()
    {
        using var scope = NewDisposeScope();
        var volume = arange(20f).view(1, 1, 20, 1, 1).expand(1, 1, 20, 9, 10).contiguous();
        var inferer = new SlidingWindowInferer([6, 4, 4], 0.5, WindowBlend.Gaussian);
        var next = 0;
        inferer.Infer(20, 9, 10, (start, count) => volume[0].narrow(1, start, count), x => x * 2, (start, predictions) =>
        {
            Assert.Equal(next, start);
            Assert.True(predictions.allclose(volume[0].narrow(1, start, predictions.shape[1]) * 2, rtol: 1e-6, atol: 1e-5));
            next += (int)predictions.shape[1];
        });
        Assert.Equal(20, next);
    }

    [Theory]
    [InlineData(8, 12, 9)]
    [InlineData(7, 7, 7)]
    public void GaussianMapIsSymmetricWithItsMaximumOneAtTheCentre(int d, int h, int w)
    {
        using var scope = NewDisposeScope();
        var map = ImportanceMapTensor.Create([d, h, w], WindowBlend.Gaussian);
        Assert.Equal(new long[] { d, h, w }, map.shape);
        foreach (var axis in new long[] { 0, 1, 2 })
        {
            Assert.True(map.allclose(map.flip(axis), rtol: 0, atol: 1e-7), $"not symmetric along axis {axis}");
        }
        Assert.Equal(1f, map.max().item<float>(), 6);
        Assert.Equal(1f, map[d / 2, h / 2, w / 2].item<float>(), d % 2 == 1 && h % 2 == 1 && w % 2 == 1 ? 6 : 1);
        Assert.True(map.min().item<float>() >= ImportanceMap.MinimumWeight);
        // σ = size/8: one σ from the centre along D, the weight is e^(-1/2) of the centre's (odd size: exact voxel).
        if (d % 2 == 1)
        {
            var sigma = d / 8.0;
            var centre = map[d / 2, h / 2, w / 2].item<float>();
            var profile = map[.., h / 2, w / 2];
            var atOne = profile[d / 2 + 1].item<float>() / centre;
            Assert.Equal(Math.Exp(-0.5 / (sigma * sigma)), atOne, 5);
        }
    }

    [Fact]
    public void ConstantMapIsAllOnes()
    {
        using var map = ImportanceMapTensor.Create([4, 5, 6], WindowBlend.Constant);
        Assert.Equal(120f, map.sum().item<float>());
    }

    [Theory]
    [InlineData(13, 8, 0.5, new[] { 0, 4, 5 })]
    [InlineData(8, 8, 0.5, new[] { 0 })]
    [InlineData(20, 8, 0.25, new[] { 0, 6, 12 })]
    [InlineData(10, 4, 0.0, new[] { 0, 4, 6 })]
    [InlineData(5, 4, 0.9, new[] { 0, 1 })]
    public void WindowStartsFollowMonaisScan(int length, int window, double overlap, int[] expected) =>
        Assert.Equal(expected, WindowGrid.Starts(length, window, overlap));

    [Fact]
    public void RejectsAnOverlapOfOne() =>
        Assert.Throws<MedSeg.Core.MedSegException>(() => new SlidingWindowInferer([4, 4, 4], 1.0));
}
