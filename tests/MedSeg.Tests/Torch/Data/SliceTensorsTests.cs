using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Data;

public sealed class SliceTensorsTests(SynthSlices synth) : IClassFixture<SynthSlices>
{
    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void Default_inputs_are_each_image_divided_by_its_maximum()
    {
        using var scope = NewDisposeScope();
        var slice = synth.All[4];
        var pixels = slice.CaseDay.Slices[slice.Index].ReadImage();
        var scale = 1f / pixels.Max();
        var inputs = new SliceTensors(1, 1, 48, 64).Inputs([slice]);
        Assert.Equal([1L, 1, 48, 64], inputs.shape);
        Assert.Equal(pixels.Select(p => p * scale), Values(inputs));
    }

    [Fact]
    public void Default_resized_stacks_equal_interpolating_each_max_normalised_stack()
    {
        // What training fed the network before the data-pipeline options existed: per-sample bilinear resize of the
        // per-image-max stack (clamped at the volume ends), concatenated; the default must not move by one bit.
        using var scope = NewDisposeScope();
        SliceRef[] refs = [synth.All[0], synth.All[9], synth.All[13]];
        var batch = new SliceTensors(3, 2, 32, 32).Batch(refs, 3, AugmentationPipeline.Empty, 0, 0);
        var expected = cat(refs.Select(r =>
        {
            var stack = new[] { r.Index - 2, r.Index, r.Index + 2 }.SelectMany(i =>
            {
                var pixels = r.CaseDay.Slices[Math.Clamp(i, 0, r.CaseDay.Slices.Count - 1)].ReadImage();
                var scale = 1f / pixels.Max();
                return pixels.Select(p => p * scale);
            }).ToArray();
            return nn.functional.interpolate(tensor(stack, [1, 3, 48, 64]), size: [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
        }).ToArray(), 0);
        Assert.Equal(Values(expected), Values(batch.Inputs));
        Assert.Null(batch.Ignore);
    }

    [Fact]
    public void Cropped_stacks_and_masks_are_cut_to_the_case_day_box_then_normalised()
    {
        using var scope = NewDisposeScope();
        var reader = new SliceReader(IntensityNormalisation.Parse("zscore"), RoiCrop.Parse("case-day:0.2"), SliceImageCache.None);
        var target = synth.All[5];
        var caseDay = target.CaseDay;
        var box = reader.Box(caseDay);
        Assert.True(box.Pixels < 48 * 64, $"the synthetic body should not fill the slice, box {box}");
        var tensors = new SliceTensors(3, 2, box.Height, box.Width, reader);
        var batch = tensors.Batch([target], 3, AugmentationPipeline.Empty, 0, 0);

        var expected = new List<float>();
        foreach (var index in new[] { 3, 5, 7 })
        {
            var cropped = new ushort[box.Pixels];
            box.Crop<ushort>(caseDay.Slices[index].ReadImage(), 64, cropped);
            var normalised = new float[box.Pixels];
            new ZScoreNormalisation().Apply(cropped, normalised);
            expected.AddRange(normalised);
        }
        Assert.Equal(expected, Values(batch.Inputs));
        var masks = new List<float>();
        for (var c = 0; c < 3; c++)
        {
            var cropped = new byte[box.Pixels];
            box.Crop<byte>(caseDay.Slices[5].DecodeMask(c), 64, cropped);
            masks.AddRange(cropped.Select(b => (float)b));
        }
        Assert.Equal(masks, Values(batch.Targets));
    }

    [Fact]
    public void Resize_to_the_box_then_paste_back_zeros_the_rest()
    {
        using var scope = NewDisposeScope();
        var box = new CropBox(1, 2, 2, 3);
        var maps = arange(12, ScalarType.Float32).reshape(1, 2, 2, 3);
        Assert.Same(maps, SliceTensors.ResizedTo(maps, box));
        var full = SliceTensors.PasteBack(maps, box, 5, 6);
        Assert.Equal([1L, 2, 5, 6], full.shape);
        Assert.Equal(Values(maps), Values(full[.., .., 1..3, 2..5]));
        Assert.Equal(Values(maps).Sum(), full.sum().item<float>());
        var resized = SliceTensors.ResizedTo(ones(1, 1, 4, 6), new CropBox(0, 0, 2, 3));
        Assert.Equal([1L, 1, 2, 3], resized.shape);
        Assert.Equal(6f, SliceTensors.PasteBack(resized, new CropBox(0, 0, 2, 3), 5, 6).sum().item<float>());
    }

    [Fact]
    public void The_ignore_vector_marks_slices_excluded_from_the_loss()
    {
        using var scope = NewDisposeScope();
        var tensors = new SliceTensors(1, 1, 32, 32);
        SliceRef[] refs = [synth.All[0], synth.All[1] with { IgnoreInLoss = true }, synth.All[2]];
        var flagged = tensors.ToBatch(tensors.Samples(refs, 3, AugmentationPipeline.Empty, 0, 0, parallel: false));
        Assert.Equal([0f, 1f, 0f], Values(flagged.Ignore!));
        var plain = tensors.ToBatch(tensors.Samples(synth.All.Take(3).ToArray(), 3, AugmentationPipeline.Empty, 0, 0, parallel: false));
        Assert.Null(plain.Ignore);
        Assert.Equal(Values(flagged.Inputs), Values(plain.Inputs));
    }
}
