using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>Resize gives what libtorch's <c>interpolate</c> gives, so augmented and tensor-resized inputs agree.</summary>
public sealed class ResizeTests
{
    [Theory]
    [InlineData(new[] { 7, 9 }, new[] { 16, 5 })]
    [InlineData(new[] { 12, 10 }, new[] { 5, 23 })]
    [InlineData(new[] { 3, 6, 5 }, new[] { 5, 4, 11 })]
    public void MatchesLibtorchInterpolate(int[] from, int[] to)
    {
        using var scope = NewDisposeScope();
        var shape = SpatialShape.Of(from);
        var random = new DeterministicRandom(1);
        var image = Enumerable.Range(0, 2 * shape.Voxels).Select(_ => (float)random.NextDouble()).ToArray();
        var mask = Enumerable.Range(0, shape.Voxels).Select(_ => (float)random.NextInt(3)).ToArray();
        var result = new Resize(to).Apply(new AugmentationSample(image, 2, mask, 1, shape), random);

        long[] size = [.. to.Select(s => (long)s)];
        var linear = from.Length == 2 ? InterpolationMode.Bilinear : InterpolationMode.Trilinear;
        var expectedImage = nn.functional.interpolate(tensor(image, [1, 2, .. from.Select(s => (long)s)]), size, mode: linear, align_corners: false);
        var expectedMask = nn.functional.interpolate(tensor(mask, [1, 1, .. from.Select(s => (long)s)]), size, mode: InterpolationMode.Nearest);
        var actualImage = result.Image;
        var reference = expectedImage.flatten().data<float>().ToArray();
        Assert.Equal(reference.Length, actualImage.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], actualImage[i], 1e-5);
        }
        Assert.Equal(expectedMask.flatten().data<float>().ToArray(), result.Mask);
    }
}
