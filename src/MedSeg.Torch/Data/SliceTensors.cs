using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Turns UW-Madison slices into network tensors: inputs N×K×h×w (K = 1 in 2D; in 2.5D the K slices at
/// <c>index + (j − K/2)·stride</c>, clamped at the volume ends), read by a <see cref="SliceReader"/> (cut to the
/// case-day's ROI box, normalised; by default per image by its maximum, uncropped) and resized bilinearly to the
/// network size; targets N×C×h×w of 0/1 resized with nearest neighbour. Training batches go through an augmentation
/// pipeline first, image and masks with one random draw per sample derived from (seed, stream + position), so a
/// batch's content does not depend on which thread builds it or when.
/// </summary>
public sealed class SliceTensors
{
    private readonly int inSlices;
    private readonly int sliceStride;
    private readonly int height;
    private readonly int width;

    public SliceTensors(int inSlices, int sliceStride, int height, int width, SliceReader? reader = null)
    {
        this.inSlices = inSlices;
        this.sliceStride = sliceStride;
        this.height = height;
        this.width = width;
        Reader = reader ?? SliceReader.Plain;
    }

    /// <summary>How slices are decoded, cropped and normalised.</summary>
    public SliceReader Reader { get; }

    /// <summary>The case-day slice indices stacked as channels for target slice <paramref name="index"/>.</summary>
    public int[] StackIndices(int index, int sliceCount)
    {
        var indices = new int[inSlices];
        for (var j = 0; j < inSlices; j++)
        {
            indices[j] = Math.Clamp(index + (j - inSlices / 2) * sliceStride, 0, sliceCount - 1);
        }
        return indices;
    }

    /// <summary>Network inputs N×K×h×w (float32, on the CPU), each cut to its case-day's crop box before resizing.</summary>
    public Tensor Inputs(IReadOnlyList<SliceRef> slices)
    {
        var samples = new AugmentationSample[slices.Count];
        Parallel.For(0, slices.Count, i =>
        {
            var box = Reader.Box(slices[i].CaseDay);
            samples[i] = new AugmentationSample(Stack(slices[i], box), inSlices, [], 0, SpatialShape.Plane(box.Height, box.Width));
        });
        return ToTensor(samples, s => s.Image, inSlices, InterpolationMode.Bilinear);
    }

    /// <summary>
    /// A training batch: inputs N×K×h×w and targets N×C×h×w (float32 0/1, <paramref name="classes"/> classes), each
    /// sample augmented by <paramref name="pipeline"/> with a draw from (<paramref name="seed"/>, <paramref name="stream"/> + position).
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Batch(IReadOnlyList<SliceRef> slices, int classes, AugmentationPipeline pipeline, int seed, long stream)
    {
        var batch = ToBatch(Samples(slices, classes, pipeline, seed, stream, parallel: true));
        batch.Ignore?.Dispose();
        return (batch.Inputs, batch.Targets);
    }

    /// <summary>
    /// The samples of <see cref="Batch"/> without tensors: safe on any thread. <paramref name="parallel"/> spreads the
    /// slices over the thread pool (the synchronous path); loader threads build their batch alone.
    /// </summary>
    public SliceSamples Samples(IReadOnlyList<SliceRef> slices, int classes, AugmentationPipeline pipeline, int seed, long stream, bool parallel)
    {
        var samples = new AugmentationSample[slices.Count];
        void Build(int i)
        {
            var box = Reader.Box(slices[i].CaseDay);
            var sample = new AugmentationSample(Stack(slices[i], box), inSlices, Masks(slices[i], classes, box), classes, SpatialShape.Plane(box.Height, box.Width));
            samples[i] = pipeline.Transforms.Count == 0 ? sample : pipeline.Apply(sample, new DeterministicRandom(seed, stream + i));
        }
        if (parallel)
        {
            Parallel.For(0, slices.Count, Build);
        }
        else
        {
            for (var i = 0; i < slices.Count; i++)
            {
                Build(i);
            }
        }
        return new SliceSamples(samples, slices.Select(s => s.IgnoreInLoss).ToArray());
    }

    /// <summary>The tensors of <paramref name="batch"/>, created in the caller's dispose scope.</summary>
    public SliceBatch ToBatch(SliceSamples batch)
    {
        var samples = batch.Samples;
        var classes = samples.Count == 0 ? 0 : samples[0].MaskChannels;
        var ignore = batch.IgnoreInLoss.Contains(true)
            ? tensor(batch.IgnoreInLoss.Select(i => i ? 1f : 0f).ToArray(), [batch.IgnoreInLoss.Count])
            : null;
        return new SliceBatch(ToTensor(samples, s => s.Image, inSlices, InterpolationMode.Bilinear),
            ToTensor(samples, s => s.Mask, classes, InterpolationMode.Nearest), ignore);
    }

    /// <summary>
    /// Per-class maps N×C×h'×w' predicted on slices cut to <paramref name="box"/>, resized to the box and pasted into
    /// full <paramref name="fullHeight"/>×<paramref name="fullWidth"/> slices with zeros outside it.
    /// </summary>
    public static Tensor PasteBack(Tensor maps, CropBox box, int fullHeight, int fullWidth)
    {
        using var scope = NewDisposeScope();
        var resized = maps.shape[2] == box.Height && maps.shape[3] == box.Width
            ? maps
            : nn.functional.interpolate(maps, size: [box.Height, box.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        var padded = box.Covers(fullHeight, fullWidth)
            ? resized
            : nn.functional.pad(resized, [box.Left, fullWidth - box.Left - box.Width, box.Top, fullHeight - box.Top - box.Height]);
        return padded.MoveToOuterDisposeScope();
    }

    private float[] Stack(SliceRef slice, CropBox box)
    {
        var (caseDay, index, _) = slice;
        var indices = StackIndices(index, caseDay.Slices.Count);
        var plane = box.Pixels;
        var stack = new float[inSlices * plane];
        for (var j = 0; j < inSlices; j++)
        {
            Reader.Image(caseDay.Slices[indices[j]], box, stack.AsSpan(j * plane, plane));
        }
        return stack;
    }

    private float[] Masks(SliceRef slice, int classes, CropBox box)
    {
        var s = slice.CaseDay.Slices[slice.Index];
        var plane = box.Pixels;
        var target = new float[classes * plane];
        for (var c = 0; c < classes; c++)
        {
            Reader.Mask(s, c, box, target.AsSpan(c * plane, plane));
        }
        return target;
    }

    private Tensor ToTensor(IReadOnlyList<AugmentationSample> samples, Func<AugmentationSample, float[]> values, int channels, InterpolationMode mode)
    {
        using var scope = NewDisposeScope();
        var resized = new Tensor[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var (h, w) = (samples[i].Shape.Height, samples[i].Shape.Width);
            var t = tensor(values(samples[i]), [1, channels, h, w]);
            resized[i] = h == height && w == width
                ? t
                : nn.functional.interpolate(t, size: [height, width], mode: mode,
                    align_corners: mode == InterpolationMode.Nearest ? null : false);
        }
        return cat(resized, 0).MoveToOuterDisposeScope();
    }
}
