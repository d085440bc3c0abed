using MedSeg.Core.Preprocessing;
namespace MedSeg.Core.Data;

/// <summary>
/// The network input of one target slice before resizing, as both prediction backends and training build it:
/// K slices (K = 1 in 2D; in 2.5D the slices at <c>index + (j − K/2)·stride</c>, clamped at the volume ends) of C image
/// channels each, read by a <see cref="SliceReader"/> (cut to the case-day's ROI box, normalised), stacked as
/// channels j·C + c, (K·C)×box.Height×box.Width row-major.
/// </summary>
public sealed class SliceStack
{
    /// <param name="inSlices">Slices per stack (K; odd, the target is the centre).</param>
    /// <param name="sliceStride">Distance in slices between the stack's neighbours.</param>
    /// <param name="channels">Image channels per slice (C).</param>
    public SliceStack(int inSlices, int sliceStride, int channels, SliceReader reader)
    {
        InSlices = inSlices;
        SliceStride = sliceStride;
        Channels = channels;
        Reader = reader;
    }

    public int InSlices { get; }

    public int SliceStride { get; }

    /// <summary>Image channels per slice.</summary>
    public int Channels { get; }

    /// <summary>Input channels of a stack: K·C.</summary>
    public int InputChannels => InSlices * Channels;

    /// <summary>How slices are decoded, cropped and normalised.</summary>
    public SliceReader Reader { get; }

    /// <summary>The case-day slice indices stacked as channels for target slice <paramref name="index"/>.</summary>
    public int[] Indices(int index, int sliceCount)
    {
        var indices = new int[InSlices];
        for (var j = 0; j < InSlices; j++)
        {
            indices[j] = Math.Clamp(index + (j - InSlices / 2) * SliceStride, 0, sliceCount - 1);
        }
        return indices;
    }

    /// <summary>The stack of slice <paramref name="index"/> of <paramref name="caseDay"/> inside <paramref name="box"/>: (K·C)×box.Height×box.Width.</summary>
    public float[] Read(UwCaseDay caseDay, int index, CropBox box)
    {
        var indices = Indices(index, caseDay.Slices.Count);
        var plane = box.Pixels;
        var stack = new float[InputChannels * plane];
        for (var j = 0; j < InSlices; j++)
        {
            for (var c = 0; c < Channels; c++)
            {
                Reader.Image(caseDay.Slices[indices[j]], box, stack.AsSpan((j * Channels + c) * plane, plane), c);
            }
        }
        return stack;
    }
}
