using MedSeg.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Turns UW-Madison slices into network tensors: inputs N×K×h×w (K = 1 in 2D; in 2.5D the K slices at
/// <c>index + (j − K/2)·stride</c>, clamped at the volume ends) scaled to [0, 1] per image by its maximum and
/// resized bilinearly to the network size; targets N×C×h×w of 0/1 resized with nearest neighbour.
/// Files are decoded in parallel; the result does not depend on thread timing.
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
        var stacks = new float[slices.Count][];
        Parallel.For(0, slices.Count, i =>
        {
            var (caseDay, index) = slices[i];
            var indices = StackIndices(index, caseDay.Slices.Count);
            var first = caseDay.Slices[index];
            var plane = first.Height * first.Width;
            var stack = new float[inSlices * plane];
            for (var j = 0; j < inSlices; j++)
            {
                NormaliseByMax(caseDay.Slices[indices[j]].ReadImage(), stack.AsSpan(j * plane, plane));
            }
            stacks[i] = stack;
        });
        return Stack(slices, stacks, inSlices, InterpolationMode.Bilinear);
    }

    /// <summary>Training targets N×C×h×w (float32 0/1) for slices of a labelled dataset with <paramref name="classes"/> classes.</summary>
    public Tensor Targets(IReadOnlyList<SliceRef> slices, int classes)
    {
        var masks = new float[slices.Count][];
        Parallel.For(0, slices.Count, i =>
        {
            var slice = slices[i].CaseDay.Slices[slices[i].Index];
            var plane = slice.Height * slice.Width;
            var target = new float[classes * plane];
            for (var c = 0; c < classes; c++)
            {
                var mask = slice.DecodeMask(c);
                var span = target.AsSpan(c * plane, plane);
                for (var p = 0; p < plane; p++)
                {
                    span[p] = mask[p];
                }
            }
            masks[i] = target;
        });
        return Stack(slices, masks, classes, InterpolationMode.Nearest);
    }

    private Tensor Stack(IReadOnlyList<SliceRef> slices, float[][] planes, int channels, InterpolationMode mode)
    {
        using var scope = NewDisposeScope();
        var resized = new Tensor[slices.Count];
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i].CaseDay.Slices[slices[i].Index];
            var t = tensor(planes[i], [1, channels, slice.Height, slice.Width]);
            resized[i] = slice.Height == height && slice.Width == width
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
