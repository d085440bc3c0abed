using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Inference;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// The array steps of the libtorch-free predictor against the TorchSharp steps they replace, on random input:
/// test-time views, bilinear resizing (libtorch's <c>interpolate</c>, align_corners false) and sliding-window blending.
/// </summary>
public sealed class OnnxPipelineGeometryTests
{
    [Theory]
    [InlineData("all", 4, 6)]
    [InlineData("all", 5, 5)]
    public void ArrayViewsEqualTensorViews(string choice, int height, int width)
    {
        using var scope = NewDisposeScope();
        var x = rand(2, 3, height, width);
        var values = x.data<float>().ToArray();
        foreach (var view in TtaView.For(choice, AugmentationPipeline.Empty))
        {
            var viewed = view.Apply(x);
            Assert.Equal(viewed.contiguous().data<float>().ToArray(), view.Apply(values, 6, height, width));
            Assert.Equal(values, view.Invert(view.Apply(values, 6, height, width), 6, height, width));
            Assert.Equal(view.Invert(viewed).contiguous().data<float>().ToArray(), view.Invert(viewed.contiguous().data<float>().ToArray(), 6, height, width));
        }
    }

    [Fact]
    public void ViewNamesRoundTrip()
    {
        foreach (var view in TtaView.For("all", AugmentationPipeline.Empty))
        {
            Assert.Equal(view, TtaView.Parse(view.ToString()));
        }
        Assert.Throws<MedSegException>(() => TtaView.Parse("mirror"));
    }

    [Theory]
    [InlineData(20, 30, 32, 32)]
    [InlineData(40, 48, 32, 32)]
    [InlineData(7, 9, 16, 12)]
    [InlineData(32, 32, 20, 27)]
    public void BilinearResizeEqualsLibtorchWithinFloatRounding(int h, int w, int height, int width)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(h * 100 + w);
        var x = rand(1, 2, h, w);
        var expected = nn.functional.interpolate(x, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false).data<float>().ToArray();
        var actual = BilinearResize.Planes(x.data<float>().ToArray(), 2, h, w, height, width);
        Assert.Equal(expected.Length, actual.Length);
        // Values in [0, 1): libtorch's vectorised kernel rounds its products and sums in another order, so at most two float32 steps apart.
        var largest = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest <= 1.2e-7f, $"bilinear resize differs from libtorch by {largest}, more than two float32 steps");
    }

    [Theory]
    [InlineData(6, 20, 23, WindowBlend.Gaussian, 0.5)]
    [InlineData(12, 40, 33, WindowBlend.Gaussian, 0.25)]
    [InlineData(9, 16, 16, WindowBlend.Constant, 0.5)]
    public void ArraySlidingWindowEqualsTheTorchInferer(int depth, int height, int width, WindowBlend blend, double overlap)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(depth);
        int[] window = [8, 16, 16];
        var volume = rand([1, 2, depth, height, width]);
        // A predictor that depends on the position inside the window, so that blending weights matter.
        var ramp = linspace(0.0, 1.0, 8 * 16 * 16).reshape(1, 1, 8, 16, 16);
        Tensor Predict(Tensor windows) => cat([windows.sum(1, keepdim: true) * ramp, windows.narrow(1, 0, 1) - ramp], 1);
        var expected = new SlidingWindowInferer(window, overlap, blend, 3).Infer(volume, Predict).data<float>().ToArray();
        var values = volume.data<float>().ToArray();
        var actual = new VolumeSlidingWindow(window, overlap, blend, 3).Infer(values, 2, depth, height, width, (windows, count) =>
        {
            using var inner = NewDisposeScope();
            return Predict(tensor(windows, [count, 2, 8, 16, 16])).data<float>().ToArray();
        });
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-5f, "the array sliding window blends differently from the torch inferer");
    }
}
