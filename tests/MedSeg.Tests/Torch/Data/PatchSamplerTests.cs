using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Data;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Data;

/// <summary>3D training data: case-day volumes and nnU-Net-style patches with foreground oversampling.</summary>
public sealed class PatchSamplerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-patch-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private UwMadisonDataset Synthesise(int slices = 12)
    {
        var folder = Path.Combine(root, $"s{slices}");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: slices, Height: 48, Width: 40, Seed: 5));
        return UwMadisonDataset.Load(folder);
    }

    [Fact]
    public void VolumeStacksTheSlicesInOrderWithTheirMasks()
    {
        var data = Synthesise();
        var caseDay = data.CaseDays[0];
        var volume = CaseDayVolume.Load(caseDay, data.Classes.Count, IntensityNormalisation.Default);
        Assert.Equal(SpatialShape.Volume(12, 48, 40), volume.Shape);
        var plane = 48 * 40;
        for (var s = 0; s < 12; s += 5)
        {
            var expected = new float[plane];
            IntensityNormalisation.Default.Apply(caseDay.Slices[s].ReadImage(), expected);
            Assert.Equal(expected, volume.Image.AsSpan(s * plane, plane).ToArray());
            for (var c = 0; c < data.Classes.Count; c++)
            {
                var mask = caseDay.Slices[s].DecodeMask(c).Select(v => (float)v).ToArray();
                Assert.Equal(mask, volume.Mask.AsSpan(c * volume.Shape.Voxels + s * plane, plane).ToArray());
            }
        }
    }

    [Fact]
    public void EveryThirdPatchHoldsForegroundAndBatchesAreReproducible()
    {
        var data = Synthesise();
        var sampler = new PatchSampler(data.CaseDays, data.Classes.Count, new PatchSize(4, 8, 8), AugmentationPipeline.Empty, IntensityNormalisation.Default);
        using var scope = NewDisposeScope();
        var positions = Enumerable.Range(0, 12).ToArray();
        var (inputs, targets) = sampler.Batch(seed: 1, stream: 200, positions);
        Assert.Equal(new long[] { 12, 1, 4, 8, 8 }, inputs.shape);
        Assert.Equal(new long[] { 12, 3, 4, 8, 8 }, targets.shape);
        var foreground = targets.sum([1, 2, 3, 4]);
        for (var i = ForegroundDraws.DefaultEvery - 1; i < 12; i += ForegroundDraws.DefaultEvery)
        {
            Assert.True(foreground[i].item<float>() > 0, $"patch {i} is forced onto foreground but holds none");
        }
        var (again, againTargets) = sampler.Batch(seed: 1, stream: 200, positions);
        Assert.True(inputs.allclose(again, 0, 0) && targets.allclose(againTargets, 0, 0));
        var (other, _) = sampler.Batch(seed: 1, stream: 300, positions);
        Assert.False(inputs.allclose(other, 0, 0));
        // A patch is the same whichever batch it falls in.
        var (tail, _) = sampler.Batch(seed: 1, stream: 205, [5, 6]);
        Assert.True(inputs.narrow(0, 5, 2).allclose(tail, 0, 0));
    }

    [Fact]
    public void AVolumeSmallerThanThePatchIsPadded()
    {
        var shorter = Synthesise(12).CaseDays[0];
        var longer = Synthesise(16).CaseDays[0];
        var sampler = new PatchSampler([shorter, longer], 3, new PatchSize(16, 48, 40), AugmentationPipeline.Empty, IntensityNormalisation.Default, cacheCapacity: 1);
        var plane = 48 * 40;
        var shorterImage = CaseDayVolume.Image(shorter, IntensityNormalisation.Default);
        var paddedOnce = false;
        for (var sample = 0; sample < 8; sample++)
        {
            var patch = sampler.Sample(1, sample, sample);
            Assert.Equal(SpatialShape.Volume(16, 48, 40), patch.Shape);
            // The 12-slice volume sits in the middle: two zero slices before and after it.
            var edges = patch.Image.AsSpan(0, 2 * plane).ToArray().Concat(patch.Image.AsSpan(14 * plane, 2 * plane).ToArray());
            if (edges.All(v => v == 0) && patch.Image.AsSpan(2 * plane, 12 * plane).SequenceEqual(shorterImage))
            {
                paddedOnce = true;
            }
        }
        Assert.True(paddedOnce, "no patch of the 12-slice volume was padded to 16 slices");
    }

    [Fact]
    public void APatchLargerThanEveryVolumeIsAnError()
    {
        var data = Synthesise();
        var error = Assert.Throws<MedSegException>(() => new PatchSampler(data.CaseDays, data.Classes.Count, new PatchSize(16, 32, 32), AugmentationPipeline.Empty, IntensityNormalisation.Default));
        Assert.Contains("--patch 16x32x32", error.Message);
        Assert.Contains("12x48x40", error.Message);
    }

    [Theory]
    [InlineData("16x32")]
    [InlineData("0x32x32")]
    [InlineData("axbxc")]
    public void PatchSizeTextMustBeThreePositiveNumbers(string text) =>
        Assert.Contains("DxHxW", Assert.Throws<MedSegException>(() => PatchSize.Parse(text, "--patch")).Message);
}
