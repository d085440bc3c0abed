using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// A UW-Madison case-day as one volume Ch×D×H×W (Ch image channels, slices in slice order, each slice of each
/// channel normalised by the run's <see cref="IntensityNormalisation"/> as the 2D modes do) with its per-class 0/1
/// masks C×D×H×W, in the layout the augmentations take.
/// </summary>
public static class CaseDayVolume
{
    /// <summary>The D×H×W shape, from the file names (no pixel is read); every slice of a case-day must have one size.</summary>
    public static SpatialShape Shape(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        foreach (var slice in caseDay.Slices)
        {
            if (slice.Height != first.Height || slice.Width != first.Width)
            {
                throw new MedSegException(
                    $"{slice.ImagePath} is {slice.Width}x{slice.Height} but {first.ImagePath} is {first.Width}x{first.Height}; 3D mode needs one slice size per case-day.");
            }
        }
        return SpatialShape.Volume(caseDay.Slices.Count, first.Height, first.Width);
    }

    /// <summary>The normalised image, Ch×D×H×W (slices decoded in parallel).</summary>
    public static float[] Image(UwCaseDay caseDay, IntensityNormalisation normalisation)
    {
        var shape = Shape(caseDay);
        var channels = caseDay.Channels;
        var image = new float[channels * shape.Voxels];
        Parallel.For(0, channels * shape.Depth, i =>
        {
            var (c, s) = Math.DivRem(i, shape.Depth);
            var slice = caseDay.Slices[s];
            normalisation.Apply(slice.ReadImage(c), slice.IntensityOf(c), image.AsSpan(c * shape.Voxels + s * shape.PlaneSize, shape.PlaneSize));
        });
        return image;
    }

    /// <summary>The image and its <paramref name="classes"/> masks as one sample (the case-day's image channels, C mask channels).</summary>
    public static AugmentationSample Load(UwCaseDay caseDay, int classes, IntensityNormalisation normalisation)
    {
        var shape = Shape(caseDay);
        var mask = new float[classes * shape.Voxels];
        Parallel.For(0, shape.Depth, s =>
        {
            for (var c = 0; c < classes; c++)
            {
                var decoded = caseDay.Slices[s].DecodeMask(c);
                var target = mask.AsSpan(c * shape.Voxels + s * shape.PlaneSize, shape.PlaneSize);
                for (var p = 0; p < decoded.Length; p++)
                {
                    target[p] = decoded[p];
                }
            }
        });
        return new AugmentationSample(Image(caseDay, normalisation), caseDay.Channels, mask, classes, shape);
    }
}
