using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// Presents a NIfTI image to runs exactly as their training data looked: its slice stack
/// (<see cref="SliceStackOrientation"/>) written as an unlabelled UW-Madison case-day of 16-bit PNGs in a scratch
/// folder, so every ensemble member reads and normalises it through its own training path. For runs trained on
/// NIfTI data (run.json <c>"intensity": "per-volume"</c>) the volume is stored through its
/// <see cref="IntensityMapping"/>, as training stored it. For runs trained on UW-Madison PNGs, intensities that are
/// whole numbers in 0…65535 (most MRI) are stored as they are; others are scaled per slice to 0…65535 by the
/// slice's maximum (negatives clamped to 0), which the per-image-max normalisation of the runs undoes up to 16-bit rounding.
/// </summary>
public static class NiftiCaseDay
{
    /// <summary>Writes channel 0 of <paramref name="image"/> under <paramref name="scratch"/> (a new folder) and loads it as a case-day.</summary>
    /// <param name="perVolumeIntensity">Store the volume through <see cref="IntensityMapping.Of"/> (runs that record the per-volume rule).</param>
    public static UwCaseDay Write(Volume<float> image, SliceStackOrientation orientation, string scratch, bool perVolumeIntensity = false)
    {
        var stack = orientation.ToStack(image);
        WriteCaseDay(Path.Combine(scratch, "test", "case1", "case1_day0"), stack, orientation, perVolumeIntensity ? IntensityMapping.Of(stack) : null);
        return UwMadisonDataset.Load(scratch).CaseDays[0];
    }

    /// <summary>
    /// Writes a D×H×W <paramref name="stack"/> as the case-day folder <paramref name="caseDayFolder"/>: one PNG per slice
    /// in <c>scans/</c>, stored through <paramref name="mapping"/> (saved beside scans/), or as described above when null.
    /// </summary>
    internal static void WriteCaseDay(string caseDayFolder, float[] stack, SliceStackOrientation orientation, IntensityMapping? mapping)
    {
        var plane = orientation.Height * orientation.Width;
        var exact = mapping is null && stack.All(v => v >= 0 && v <= ushort.MaxValue && v == MathF.Round(v));
        var scans = Path.Combine(caseDayFolder, "scans");
        Directory.CreateDirectory(scans);
        Parallel.For(0, orientation.Depth, d =>
        {
            var slice = stack.AsSpan(d * plane, plane);
            var pixels = new ushort[plane];
            if (mapping is not null)
            {
                for (var p = 0; p < plane; p++)
                {
                    pixels[p] = mapping.Store(slice[p]);
                }
            }
            else
            {
                var max = 0f;
                foreach (var v in slice)
                {
                    max = Math.Max(max, v);
                }
                var scale = exact ? 1f : max > 0 ? ushort.MaxValue / max : 0f;
                for (var p = 0; p < plane; p++)
                {
                    pixels[p] = (ushort)Math.Clamp(MathF.Round(slice[p] * scale), 0, ushort.MaxValue);
                }
            }
            var name = new UwSliceFileName(d + 1, orientation.Width, orientation.Height, orientation.ColumnSpacing, orientation.RowSpacing).Format();
            Png16.Write(Path.Combine(scans, name), pixels, orientation.Height, orientation.Width);
        });
        mapping?.Save(caseDayFolder);
    }
}
