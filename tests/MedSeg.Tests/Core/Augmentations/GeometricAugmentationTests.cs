using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>Every geometric transform moves image and mask together, the same way per seed, differently across seeds.</summary>
public sealed class GeometricAugmentationTests
{
    /// <summary>Each geometric transform, always applied, with strong enough parameters to move the marker.</summary>
    public static TheoryData<string> Geometric() =>
    [
        "flip_hv", "rotate90", "shift_scale_rotate", "elastic", "grid_distortion", "crop", "resize", "pad",
    ];

    private static Augmentation Create(string name, bool volume) => name switch
    {
        "flip_hv" => new Flip(volume ? [FlipAxis.Horizontal, FlipAxis.Vertical, FlipAxis.Depth] : [FlipAxis.Horizontal, FlipAxis.Vertical], 0.5),
        "rotate90" => new RandomRotate90(1),
        "shift_scale_rotate" => new ShiftScaleRotate(1, ValueRange.Around(0, 0.2), ValueRange.Around(1, 0.2), ValueRange.Around(0, 45), BorderMode.Constant),
        "elastic" => new ElasticDeformation(1, 150, 5, BorderMode.Reflect),
        "grid_distortion" => new GridDistortion(1, 4, ValueRange.Around(0, 0.5), BorderMode.Edge),
        "crop" => new RandomCrop(volume ? [6, 24, 24] : [24, 24], 1),
        "resize" => new Resize(volume ? [4, 40, 36] : [40, 36]),
        _ => new PadToSize(volume ? [10, 40, 56] : [40, 56], 0),
    };

    private static AugmentationSample Plane() => MarkedSample.Plane(3, 32, 48, 6, 18, 10, 26);

    private static AugmentationSample Volume() => MarkedSample.Volume(3, SpatialShape.Volume(8, 32, 48), 2, 6, 6, 18, 10, 26);

    [Theory]
    [MemberData(nameof(Geometric))]
    public void MarkerStaysOnImageAndMaskAndChannelsMoveTogether(string name)
    {
        foreach (var volume in new[] { false, true })
        {
            for (var seed = 0; seed < 5; seed++)
            {
                var result = Create(name, volume).Apply(volume ? Volume() : Plane(), new DeterministicRandom(seed));
                Assert.True(MarkedSample.MaskCount(result) > 0, "the marker must not vanish");
                for (var c = 0; c < 3; c++)
                {
                    Assert.True(MarkedSample.Overlap(result, c) > 0.8, $"{name} seed {seed}: channel {c} overlaps the mask by {MarkedSample.Overlap(result, c):F2}");
                }
                MarkedSample.AssertChannelsMovedTogether(result);
                Assert.All(result.Mask, v => Assert.True(v is 0 or 1, "mask values are copied, never interpolated"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometric))]
    public void SameSeedSameResultOtherSeedOtherResult(string name)
    {
        foreach (var volume in new[] { false, true })
        {
            AugmentationSample Run(long seed) => Create(name, volume).Apply(volume ? Volume() : Plane(), new DeterministicRandom(seed));
            var first = Run(7);
            Assert.Equal(first.Image, Run(7).Image);
            Assert.Equal(first.Mask, Run(7).Mask);
            if (name is not ("resize" or "pad"))
            {
                Assert.Contains(Enumerable.Range(8, 6), s => !Run(s).Image.SequenceEqual(first.Image));
            }
        }
    }

    [Fact]
    public void HorizontalFlipMirrorsColumnsAndDepthFlipMirrorsSlices()
    {
        var plane = new AugmentationSample([1, 2, 3, 4, 5, 6], 1, [1, 0, 0, 0, 0, 0], 1, SpatialShape.Plane(2, 3));
        var flipped = new Flip([FlipAxis.Horizontal], 1).Apply(plane, new DeterministicRandom(0));
        Assert.Equal([3f, 2, 1, 6, 5, 4], flipped.Image);
        Assert.Equal([0f, 0, 1, 0, 0, 0], flipped.Mask);
        var vertical = new Flip([FlipAxis.Vertical], 1).Apply(flipped, new DeterministicRandom(0));
        Assert.Equal([6f, 5, 4, 3, 2, 1], vertical.Image);

        var volume = new AugmentationSample([1, 2, 3, 4, 5, 6], 1, [], 0, SpatialShape.Volume(3, 1, 2));
        Assert.Equal([5f, 6, 3, 4, 1, 2], new Flip([FlipAxis.Depth], 1).Apply(volume, new DeterministicRandom(0)).Image);
        Assert.Throws<MedSeg.Core.MedSegException>(() => new Flip([FlipAxis.Depth], 1).Apply(plane.Clone(), new DeterministicRandom(0)));
    }

    [Fact]
    public void Rotate90TurnsAsNumpyRot90AndSwapsHeightAndWidth()
    {
        // [[1, 2, 3], [4, 5, 6]]: rot90 k=1 → [[3, 6], [2, 5], [1, 4]], k=2 → [[6, 5, 4], [3, 2, 1]], k=3 → [[4, 1], [5, 2], [6, 3]].
        var seen = new HashSet<string>();
        for (var seed = 0; seed < 40; seed++)
        {
            var sample = new AugmentationSample([1, 2, 3, 4, 5, 6], 1, [1, 2, 3, 4, 5, 6], 1, SpatialShape.Plane(2, 3));
            var result = new RandomRotate90(1).Apply(sample, new DeterministicRandom(seed));
            Assert.Equal(result.Image, result.Mask);
            var text = string.Join(",", result.Image);
            Assert.Contains(text, new[] { "3,6,2,5,1,4", "6,5,4,3,2,1", "4,1,5,2,6,3" });
            Assert.Equal(text == "6,5,4,3,2,1" ? SpatialShape.Plane(2, 3) : SpatialShape.Plane(3, 2), result.Shape);
            seen.Add(text);
        }
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void ShiftScaleRotateIsExactForWholePixelMotions()
    {
        var sample = new AugmentationSample(Enumerable.Range(1, 16).Select(v => (float)v).ToArray(), 1,
            Enumerable.Range(1, 16).Select(v => (float)v).ToArray(), 1, SpatialShape.Plane(4, 4));
        AugmentationSample Run(double shift, double rotate) =>
            new ShiftScaleRotate(1, new ValueRange(shift, shift), new ValueRange(1, 1), new ValueRange(rotate, rotate), BorderMode.Constant)
                .Apply(sample.Clone(), new DeterministicRandom(0));

        Assert.Equal(sample.Image, Run(0, 0).Image);
        // +90° turns clockwise as displayed: out[y][x] = in[3 − x][y], numpy's rot90 with k = 3.
        var turned = Run(0, 90);
        float[] clockwise = [13, 9, 5, 1, 14, 10, 6, 2, 15, 11, 7, 3, 16, 12, 8, 4];
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(clockwise[i], turned.Image[i], 3);
        }
        Assert.Equal(clockwise, turned.Mask);
        // shift 0.25 of 4 pixels moves content one pixel right and one down; the top row and left column read zeros.
        float[] shifted = [0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11];
        Assert.Equal(shifted, Run(0.25, 0).Image);
        Assert.Equal(shifted, Run(0.25, 0).Mask);
    }

    [Theory]
    [InlineData(BorderMode.Constant, new float[] { 0, 0, 1, 2, 3 })]
    [InlineData(BorderMode.Edge, new float[] { 1, 1, 1, 2, 3 })]
    [InlineData(BorderMode.Reflect, new float[] { 3, 2, 1, 2, 3 })]
    public void BorderModesFillWhatComesIntoView(BorderMode border, float[] expected)
    {
        // Five rows 1 2 3 4 5 shifted right and down by 2 pixels (0.4 of the size); the last row reads row 2.
        var rows = Enumerable.Repeat(new float[] { 1, 2, 3, 4, 5 }, 5).SelectMany(r => r).ToArray();
        var sample = new AugmentationSample(rows, 1, [], 0, SpatialShape.Plane(5, 5));
        var shifted = new ShiftScaleRotate(1, new ValueRange(0.4, 0.4), new ValueRange(1, 1), new ValueRange(0, 0), border)
            .Apply(sample, new DeterministicRandom(0));
        Assert.Equal(expected, shifted.Image[20..]);
    }

    [Fact]
    public void ZeroStrengthWarpsAreTheIdentity()
    {
        var sample = Plane();
        Assert.Equal(sample.Image, new ElasticDeformation(1, 0, 4, BorderMode.Constant).Apply(sample.Clone(), new DeterministicRandom(1)).Image);
        Assert.Equal(sample.Image, new GridDistortion(1, 5, new ValueRange(0, 0), BorderMode.Constant).Apply(sample.Clone(), new DeterministicRandom(1)).Image);
    }

    [Fact]
    public void PadCentresTheSampleAndFillsTheImageOnly()
    {
        var sample = new AugmentationSample([1, 2], 1, [1, 1], 1, SpatialShape.Plane(1, 2));
        var padded = new PadToSize([3, 4], -1).Apply(sample, new DeterministicRandom(0));
        Assert.Equal(SpatialShape.Plane(3, 4), padded.Shape);
        Assert.Equal([-1f, -1, -1, -1, -1, 1, 2, -1, -1, -1, -1, -1], padded.Image);
        Assert.Equal([0f, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], padded.Mask);
        Assert.Same(padded, new PadToSize([2, 2], 0).Apply(padded, new DeterministicRandom(0)));
    }

    [Fact]
    public void SizesMustMatchTheSampleDimensions()
    {
        var error = Assert.Throws<MedSeg.Core.MedSegException>(() => new RandomCrop([4, 8, 8], 0).Apply(Plane(), new DeterministicRandom(0)));
        Assert.Contains("'crop': size 4x8x8 has 3 axes but the sample is 2D (32x48)", error.Message);
    }
}
