using MedSeg.Core.Volumes;

namespace MedSeg.Core.Dicom;

/// <summary>
/// One DICOM series as a checked volume grid: its slices sorted by position along the slice normal (the cross
/// product of ImageOrientationPatient's row and column directions), never by file name or InstanceNumber, and the
/// affine built from ImagePositionPatient, ImageOrientationPatient and PixelSpacing, turned from DICOM's LPS into
/// NIfTI's RAS (x and y negated). Voxel axis X runs along a row (column index), Y down the columns (row index), Z
/// through the slices in sorted order, so the voxel order is DICOM's pixel order with slices stacked. The frames of a
/// multi-frame (enhanced) file are slices like any other, placed by their per-frame functional groups, and checked
/// the same way.
/// </summary>
public sealed class DicomSeries
{
    /// <summary>Relative difference between slice steps beyond which a series is refused (1 %).</summary>
    public const double SpacingTolerance = 0.01;

    /// <summary>Largest difference between two slices' direction cosines that still counts as one orientation.</summary>
    public const double OrientationTolerance = 1e-4;

    private DicomSeries(IReadOnlyList<DicomSliceHeader> slices, VolumeGeometry geometry)
    {
        Slices = slices;
        Geometry = geometry;
    }

    /// <summary>The slices in volume order (z = 0 first).</summary>
    public IReadOnlyList<DicomSliceHeader> Slices { get; }

    /// <summary>Shape (columns × rows × slices) and RAS affine.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>SeriesInstanceUID.</summary>
    public string Uid => Slices[0].SeriesUid;

    /// <summary>The series as users see it in a viewer: number, modality and description, and its folder (no patient tags).</summary>
    public string Description
    {
        get
        {
            var first = Slices[0];
            var number = first.SeriesNumber is { } n ? $"series {n}" : "series";
            var what = string.Join(" ", new[] { first.Modality, first.SeriesDescription }.Where(s => s.Length > 0));
            return $"{number}{(what.Length > 0 ? $" ({what})" : "")} {Uid} in {Path.GetDirectoryName(first.File)}";
        }
    }

    /// <summary>Sorts and checks the slices of one series and builds its grid.</summary>
    /// <exception cref="MedSegException">
    /// Slices of several series, a multi-frame file without per-frame geometry, a slice without position or orientation, slices of mixed
    /// orientation, size or pixel spacing, two slices at one position, or unequal steps between slices (a missing
    /// slice among them); the message names the series and the file.
    /// </exception>
    public static DicomSeries Build(IReadOnlyList<DicomSliceHeader> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0)
        {
            throw new ArgumentException("A series has at least one slice.", nameof(slices));
        }
        var first = slices[0];
        var name = $"series {first.SeriesUid} in {Path.GetDirectoryName(first.File)}";
        foreach (var slice in slices)
        {
            RequireSameGrid(slice, first, name);
        }
        double[] row = first.Orientation![..3], column = first.Orientation[3..];
        var normal = Cross(row, column);
        var sorted = slices.Select(s => (Slice: s, Distance: Dot(s.Position!, normal)))
            .OrderBy(s => s.Distance).ThenBy(s => s.Slice.File, StringComparer.Ordinal).ThenBy(s => s.Slice.Frame).ToArray();
        // A single slice has no neighbour to measure a step to: the unit normal (1 mm) stands for it.
        double[] step = normal;
        if (sorted.Length > 1)
        {
            var steps = new double[sorted.Length - 1];
            for (var k = 0; k < steps.Length; k++)
            {
                steps[k] = sorted[k + 1].Distance - sorted[k].Distance;
            }
            var typical = steps.Order().ElementAt(steps.Length / 2);
            for (var k = 0; k < steps.Length; k++)
            {
                RequireStep(steps[k], typical, sorted[k].Slice.Source, sorted[k + 1].Slice.Source, name);
            }
            // The mean step from first to last slice: exact for a regular series, and it keeps a gantry tilt (a
            // step that is not along the normal) in the affine instead of silently dropping it.
            var last = sorted[^1].Slice.Position!;
            step = [.. Enumerable.Range(0, 3).Select(a => (last[a] - sorted[0].Slice.Position![a]) / steps.Length)];
            RequireOnLine(sorted.Select(s => s.Slice).ToArray(), step, name);
        }
        var origin = sorted[0].Slice.Position!;
        // LPS → RAS: negate the x and y rows.
        double[] sign = [-1, -1, 1];
        var rows = new double[12];
        for (var a = 0; a < 3; a++)
        {
            rows[a * 4 + 0] = sign[a] * row[a] * first.ColumnSpacing;
            rows[a * 4 + 1] = sign[a] * column[a] * first.RowSpacing;
            rows[a * 4 + 2] = sign[a] * step[a];
            rows[a * 4 + 3] = sign[a] * origin[a];
        }
        var geometry = new VolumeGeometry(new VolumeShape(first.Columns, first.Rows, sorted.Length), Affine.FromRows(rows));
        return new DicomSeries(sorted.Select(s => s.Slice).ToArray(), geometry);
    }

    private static void RequireSameGrid(DicomSliceHeader slice, DicomSliceHeader first, string name)
    {
        if (slice.SeriesUid != first.SeriesUid)
        {
            throw new ArgumentException($"{slice.File} belongs to series {slice.SeriesUid}, not {first.SeriesUid}.", nameof(slice));
        }
        if (slice.Frames != 1 && slice.Frame is null)
        {
            throw new MedSegException(
                $"DICOM file {slice.File} of {name} holds {slice.Frames} frames without per-frame functional groups (PerFrameFunctionalGroupsSequence with each frame's PlanePositionSequence), so where its frames lie is unknown; export it as an enhanced image or one file per slice, or convert it with dcm2niix and pass the NIfTI file.");
        }
        if (slice.Position is not { Length: 3 } || slice.Orientation is not { Length: 6 })
        {
            throw new MedSegException(
                $"DICOM file {slice.Source} of {name} has no {(slice.Position is not { Length: 3 } ? "ImagePositionPatient (0020,0032)" : "ImageOrientationPatient (0020,0037)")} with {(slice.Position is not { Length: 3 } ? 3 : 6)} values, so its place in the volume is unknown; export the series with its geometry tags.");
        }
        if (slice.Rows != first.Rows || slice.Columns != first.Columns)
        {
            throw new MedSegException(
                $"DICOM file {slice.Source} of {name} is {slice.Columns}×{slice.Rows} pixels but {first.Source} is {first.Columns}×{first.Rows}; a series must have one image size (remove the odd file, e.g. a localizer).");
        }
        if (!(slice.RowSpacing > 0 && slice.ColumnSpacing > 0) || Math.Abs(slice.RowSpacing - first.RowSpacing) > 1e-4 || Math.Abs(slice.ColumnSpacing - first.ColumnSpacing) > 1e-4)
        {
            throw new MedSegException(
                $"DICOM file {slice.Source} of {name} has PixelSpacing {slice.RowSpacing}\\{slice.ColumnSpacing} but {first.Source} has {first.RowSpacing}\\{first.ColumnSpacing}; a series must have one positive pixel spacing.");
        }
        for (var i = 0; i < 6; i++)
        {
            if (Math.Abs(slice.Orientation[i] - first.Orientation![i]) > OrientationTolerance)
            {
                throw new MedSegException(
                    $"DICOM file {slice.Source} of {name} has ImageOrientationPatient {string.Join('\\', slice.Orientation)} but {first.Source} has {string.Join('\\', first.Orientation)}; mixed orientations are not one volume (separate the files into one series per orientation).");
            }
        }
    }

    private static void RequireStep(double step, double typical, string before, string after, string name)
    {
        if (typical <= 1e-6)
        {
            throw new MedSegException(
                $"DICOM files {before} and {after} of {name} lie at the same position along the slice normal (several slices per position: echoes, phases or duplicates); separate them into one series each.");
        }
        if (Math.Abs(step - typical) <= SpacingTolerance * typical)
        {
            return;
        }
        var missing = Math.Round(step / typical) - 1;
        var why = step <= 1e-6
            ? "lie at the same position along the slice normal (a duplicate slice, or several echoes or phases)"
            : missing >= 1 && Math.Abs(step - (missing + 1) * typical) <= SpacingTolerance * typical
                ? $"are {step:0.###} mm apart where the other slices are {typical:0.###} mm apart: {missing:0} slice(s) between them are missing"
                : $"are {step:0.###} mm apart where the other slices are {typical:0.###} mm apart (unequal spacing beyond {SpacingTolerance:P0})";
        var fix = step <= 1e-6 ? "keep one file per position (echoes or phases belong in series of their own)" : "export the complete series";
        throw new MedSegException($"DICOM files {before} and {after} of {name} {why}; {fix}.");
    }

    /// <summary>Every slice where the grid puts it: first position + k × step, within 1 % of a step (no in-plane jumps).</summary>
    private static void RequireOnLine(DicomSliceHeader[] sorted, double[] step, string name)
    {
        var origin = sorted[0].Position!;
        var length = Math.Sqrt(Dot(step, step));
        for (var k = 1; k < sorted.Length - 1; k++)
        {
            var p = sorted[k].Position!;
            var off = Math.Sqrt(Enumerable.Range(0, 3).Sum(a => Math.Pow(p[a] - origin[a] - k * step[a], 2)));
            if (off > SpacingTolerance * length)
            {
                throw new MedSegException(
                    $"DICOM file {sorted[k].Source} of {name} lies {off:0.###} mm from where the other slices put slice {k} (its ImagePositionPatient is shifted within the plane); export the series with consistent positions.");
            }
        }
    }

    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

    private static double[] Cross(double[] a, double[] b) =>
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
