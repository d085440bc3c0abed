using System.Buffers;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// Reads slices the way the networks see them before resizing: the image decoded (through a shared
/// <see cref="SliceImageCache"/>), cut to its case-day's <see cref="RoiCrop"/> box and normalised; masks cut to the
/// same box. Thread-safe, so loader threads share one reader.
/// </summary>
public sealed class SliceReader
{
    public SliceReader(IntensityNormalisation normalisation, RoiCrop crop, SliceImageCache cache)
    {
        Normalisation = normalisation;
        Cache = cache;
        Boxes = new CaseDayCropBoxes(crop, cache);
    }

    /// <summary>Per-image maximum normalisation, no crop, no cache: what training did before these options existed.</summary>
    public static SliceReader Plain => new(IntensityNormalisation.Default, RoiCrop.None, SliceImageCache.None);

    public IntensityNormalisation Normalisation { get; }

    public SliceImageCache Cache { get; }

    public CaseDayCropBoxes Boxes { get; }

    /// <summary>The crop box of <paramref name="caseDay"/> (the full slice when cropping is off).</summary>
    public CropBox Box(UwCaseDay caseDay) => Boxes.Of(caseDay);

    /// <summary>
    /// Writes the normalised pixels of image channel <paramref name="channel"/> of <paramref name="slice"/> inside
    /// <paramref name="box"/> into <paramref name="output"/> (box.Pixels values); each channel is normalised on its own.
    /// </summary>
    public void Image(UwSlice slice, CropBox box, Span<float> output, int channel = 0)
    {
        var pixels = Cache.ReadChannel(slice, channel).Span;
        var intensity = slice.IntensityOf(channel);
        if (box.Covers(slice.Height, slice.Width))
        {
            Normalisation.Apply(pixels, intensity, output);
            return;
        }
        var cropped = ArrayPool<ushort>.Shared.Rent(box.Pixels);
        try
        {
            var region = cropped.AsSpan(0, box.Pixels);
            box.Crop(pixels, slice.Width, region);
            Normalisation.Apply(region, intensity, output);
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(cropped);
        }
    }

    /// <summary>Writes the 0/1 mask of class <paramref name="classIndex"/> inside <paramref name="box"/> into <paramref name="output"/> as floats.</summary>
    public void Mask(UwSlice slice, int classIndex, CropBox box, Span<float> output)
    {
        var plane = slice.Height * slice.Width;
        var mask = ArrayPool<byte>.Shared.Rent(plane);
        var cropped = ArrayPool<byte>.Shared.Rent(box.Pixels);
        try
        {
            slice.DecodeMask(classIndex, mask.AsSpan(0, plane));
            var region = cropped.AsSpan(0, box.Pixels);
            box.Crop<byte>(mask.AsSpan(0, plane), slice.Width, region);
            for (var p = 0; p < region.Length; p++)
            {
                output[p] = region[p];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(mask);
            ArrayPool<byte>.Shared.Return(cropped);
        }
    }
}
