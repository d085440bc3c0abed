using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Turns UW-Madison slices into network tensors: inputs N×K×h×w (K = 1 in 2D; in 2.5D the K slices at
/// <c>index + (j − K/2)·stride</c>, clamped at the volume ends) scaled to [0, 1] per image by its maximum and
/// resized bilinearly to the network size; targets N×C×h×w of 0/1 resized with nearest neighbour. Training batches
/// go through an augmentation pipeline first, image and masks with one random draw per sample derived from
/// (seed, epoch, sample position). Files are decoded in parallel; results do not depend on thread timing.
/// </summary>
public sealed class SliceTensors
{
    private readonly int inSlices;
    private readonly int sliceStride;
    private readonly int height;
    private readonly int width;

    public SliceTensors(int inSlices, int sliceStride, int height, int width)
    {
        this.inSlices = inSlices;
        this.sliceStride = sliceStride;
        this.height = height;
        this.width = width;
    }

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

    /// <summary>Network inputs N×K×h×w (float32, on the CPU).</summary>
    public Tensor Inputs(IReadOnlyList<SliceRef> slices)
    {
        var samples = new AugmentationSample[slices.Count];
        Parallel.For(0, slices.Count, i => samples[i] = new AugmentationSample(Stack(slices[i]), inSlices, [], 0, Shape(slices[i])));
        return ToTensor(samples, s => s.Image, inSlices, InterpolationMode.Bilinear);
    }

    /// <summary>
    /// A training batch: inputs N×K×h×w and targets N×C×h×w (float32 0/1, <paramref name="classes"/> classes), each
    /// sample augmented by <paramref name="pipeline"/> with a draw from (<paramref name="seed"/>, <paramref name="stream"/> + position).
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Batch(IReadOnlyList<SliceRef> slices, int classes, AugmentationPipeline pipeline, int seed, long stream)
    {
        var samples = new AugmentationSample[slices.Count];
        Parallel.For(0, slices.Count, i =>
        {
            var sample = new AugmentationSample(Stack(slices[i]), inSlices, Masks(slices[i], classes), classes, Shape(slices[i]));
            samples[i] = pipeline.Transforms.Count == 0 ? sample : pipeline.Apply(sample, new DeterministicRandom(seed, stream + i));
        });
        return (ToTensor(samples, s => s.Image, inSlices, InterpolationMode.Bilinear),
            ToTensor(samples, s => s.Mask, classes, InterpolationMode.Nearest));
    }

    private static SpatialShape Shape(SliceRef slice)
    {
        var s = slice.CaseDay.Slices[slice.Index];
        return SpatialShape.Plane(s.Height, s.Width);
    }

    private float[] Stack(SliceRef slice)
    {
        var (caseDay, index) = slice;
        var indices = StackIndices(index, caseDay.Slices.Count);
        var first = caseDay.Slices[index];
        var plane = first.Height * first.Width;
        var stack = new float[inSlices * plane];
        for (var j = 0; j < inSlices; j++)
        {
            NormaliseByMax(caseDay.Slices[indices[j]].ReadImage(), stack.AsSpan(j * plane, plane));
        }
        return stack;
    }

    private static float[] Masks(SliceRef slice, int classes)
    {
        var s = slice.CaseDay.Slices[slice.Index];
        var plane = s.Height * s.Width;
        var target = new float[classes * plane];
        for (var c = 0; c < classes; c++)
        {
            var mask = s.DecodeMask(c);
            var span = target.AsSpan(c * plane, plane);
            for (var p = 0; p < plane; p++)
            {
                span[p] = mask[p];
            }
        }
        return target;
    }

    private Tensor ToTensor(AugmentationSample[] samples, Func<AugmentationSample, float[]> values, int channels, InterpolationMode mode)
    {
        using var scope = NewDisposeScope();
        var resized = new Tensor[samples.Length];
        for (var i = 0; i < samples.Length; i++)
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

    /// <summary>Writes <paramref name="image"/> / max(image) into <paramref name="output"/> (zeros for an all-zero image).</summary>
    public static void NormaliseByMax(ReadOnlySpan<ushort> image, Span<float> output)
    {
        ushort max = 0;
        foreach (var v in image)
        {
            max = Math.Max(max, v);
        }
        var scale = max == 0 ? 0f : 1f / max;
        for (var p = 0; p < image.Length; p++)
        {
            output[p] = image[p] * scale;
        }
    }
}
