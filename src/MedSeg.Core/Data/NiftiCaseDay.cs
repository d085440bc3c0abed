using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// Presents a NIfTI image to runs exactly as their training data looked: its slice stack
/// (<see cref="SliceStackOrientation"/>, one D×H×W stack per image channel, possibly resampled onto another
/// <see cref="SliceStackGrid"/>) written as an unlabelled UW-Madison case-day of 16-bit PNGs in a scratch folder, so
/// every ensemble member reads and normalises it through its own training path. For runs trained on NIfTI data
/// (run.json <c>"intensity": "per-volume"</c>) each channel is stored through its own <see cref="IntensityMapping"/>,
/// as training stored it. For runs trained on UW-Madison PNGs, intensities that are whole numbers in 0…65535 (most
/// MRI) are stored as they are; others are scaled per slice to 0…65535 by the slice's maximum (negatives clamped to
/// 0), which the per-image-max normalisation of the runs undoes up to 16-bit rounding. Channel c ≥ 1 goes to
/// <c>scans_000c/</c> (<see cref="UwMadisonDataset.ScansFolderOf"/>).
/// </summary>
public static class NiftiCaseDay
{
    /// <summary>Writes the channel stacks <paramref name="channels"/> on <paramref name="grid"/> under <paramref name="scratch"/> (a new folder) and loads them as a case-day.</summary>
    /// <param name="perVolumeIntensity">Store each channel through <see cref="IntensityMapping.Of"/> (runs that record the per-volume rule).</param>
    public static UwCaseDay Write(IReadOnlyList<float[]> channels, SliceStackGrid grid, string scratch, bool perVolumeIntensity = false)
    {
        WriteCaseDay(Path.Combine(scratch, "test", "case1", "case1_day0"), channels, grid, perVolumeIntensity);
        return UwMadisonDataset.Load(scratch).CaseDays[0];
    }

    /// <summary>
    /// Writes the D×H×W stacks of <paramref name="channels"/> as the case-day folder <paramref name="caseDayFolder"/>: one PNG
    /// per slice and channel, stored through each channel's <see cref="IntensityMapping.Of"/> (saved beside scans/) when
    /// <paramref name="perVolumeIntensity"/>, or as described above otherwise.
    /// </summary>
    internal static void WriteCaseDay(string caseDayFolder, IReadOnlyList<float[]> channels, SliceStackGrid grid, bool perVolumeIntensity)
    {
        for (var c = 0; c < channels.Count; c++)
        {
            var mapping = perVolumeIntensity ? IntensityMapping.Of(channels[c]) : null;
            WriteChannel(Path.Combine(caseDayFolder, UwMadisonDataset.ScansFolderOf(c)), channels[c], grid, mapping);
            mapping?.Save(caseDayFolder, c);
        }
    }

    private static void WriteChannel(string scans, float[] stack, SliceStackGrid grid, IntensityMapping? mapping)
    {
        var plane = grid.Height * grid.Width;
        var exact = mapping is null && stack.All(v => v >= 0 && v <= ushort.MaxValue && v == MathF.Round(v));
        var spacing = grid.Spacing;
        Directory.CreateDirectory(scans);
        Parallel.For(0, grid.Depth, d =>
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
            var name = new UwSliceFileName(d + 1, grid.Width, grid.Height, spacing.Width, spacing.Height).Format();
            Png16.Write(Path.Combine(scans, name), pixels, grid.Height, grid.Width);
        });
    }
}
