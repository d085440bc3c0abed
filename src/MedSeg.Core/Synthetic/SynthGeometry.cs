using MedSeg.Core.Data;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Where a synthetic scan lies in the scanner, for the volume layouts: voxel axes as in a DICOM-derived axial stack
/// (i = image columns towards the patient's left, j = image rows towards the back, k = slices towards the head:
/// LPS), tilted by a few degrees as an oblique acquisition is, centred near the isocentre with the table
/// position drawn per case-day.
/// </summary>
internal static class SynthGeometry
{
    /// <param name="spacing">Voxel spacing instead of the scan's (slice × row × column distance in mm); null keeps the scan's.</param>
    public static VolumeGeometry Create(UwMadisonSynthOptions options, SynthPlan.Scan scan, StackSpacing? spacing = null)
    {
        var rng = new DeterministicRandom(options.Seed, SynthStreams.For(SynthStreams.Geometry, scan.Case, scan.DayIndex));
        double tiltX = rng.NextDouble(-0.12, 0.12), tiltY = rng.NextDouble(-0.05, 0.05);
        (double cx, double sx, double cy, double sy) = (Math.Cos(tiltX), Math.Sin(tiltX), Math.Cos(tiltY), Math.Sin(tiltY));
        // R = Ry · Rx, applied to the voxel steps (−s, 0, 0), (0, −s, 0), (0, 0, thickness).
        double[,] rotation =
        {
            { cy, sy * sx, sy * cx },
            { 0, cx, -sx },
            { -sy, cy * sx, cy * cx },
        };
        double[] steps = spacing is { } s ? [-s.Width, -s.Height, s.Depth] : [-scan.Spacing, -scan.Spacing, UwCaseDay.DefaultSliceThickness];
        double[] centreVoxel = [(options.Width - 1) / 2.0, (options.Height - 1) / 2.0, (options.Slices - 1) / 2.0];
        double[] centreWorld = [10 * rng.NextGaussian(), 10 * rng.NextGaussian() - 20, rng.NextDouble(-220, -60)];
        var rows = new double[12];
        for (int r = 0; r < 3; r++)
        {
            double origin = centreWorld[r];
            for (int c = 0; c < 3; c++)
            {
                rows[r * 4 + c] = rotation[r, c] * steps[c];
                origin -= rows[r * 4 + c] * centreVoxel[c];
            }
            rows[r * 4 + 3] = origin;
        }
        return new VolumeGeometry(new VolumeShape(options.Width, options.Height, options.Slices), Affine.FromRows(rows));
    }
}
