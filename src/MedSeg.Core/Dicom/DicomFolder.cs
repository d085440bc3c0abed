using MedSeg.Core.Volumes;

namespace MedSeg.Core.Dicom;

/// <summary>
/// DICOM series as they leave a PACS: a folder (searched recursively) of image files, one slice per file or
/// multi-frame (enhanced) files of many, any file names, several series side by side. Files are grouped by SeriesInstanceUID and each series is checked and sorted
/// by <see cref="DicomSeries.Build"/>; pixels are decoded by the <see cref="DicomBackend"/>.
/// </summary>
public static class DicomFolder
{
    private static readonly HashSet<string> OtherEndings = new([".png", ".jpg", ".jpeg", ".csv", ".json", ".txt", ".nii", ".gz", ".npy", ".html", ".safetensors"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="path"/> is a DICOM file: "DICM" at byte 128 (the DICOM file format's preamble), or the ending .dcm.</summary>
    public static bool IsDicomFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        if (path.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> magic = stackalloc byte[4];
        return file.Length >= 132 && file.Seek(128, SeekOrigin.Begin) == 128 && file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
            && magic.SequenceEqual("DICM"u8);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a DICOM file or a folder with a DICOM file somewhere below it (files with
    /// the endings of MedSeg's other inputs are not opened, so a large PNG dataset is not read to find out).
    /// </summary>
    public static bool Holds(string path) =>
        File.Exists(path) ? IsDicomFile(path)
        : Directory.Exists(path) && Files(path, recursive: true).Where(f => !OtherEndings.Contains(Path.GetExtension(f))).Any(IsDicomFile);

    /// <summary>Every series below the folder <paramref name="folder"/>, ordered by folder, series number and UID.</summary>
    /// <exception cref="MedSegException">No DICOM image below it, or a series that cannot be one volume (the message names it and the file).</exception>
    public static IReadOnlyList<DicomSeries> FindSeries(string folder)
    {
        var series = Group(Files(folder, recursive: true).ToArray());
        if (series.Count == 0)
        {
            throw new MedSegException($"{folder} holds no DICOM images; pass the folder of a DICOM series (one file per slice) or a NIfTI file.");
        }
        return series;
    }

    /// <summary>
    /// The series <paramref name="path"/> names: a folder that holds one series (below it), or one file of a series,
    /// whose other slices are the files of that series in the same folder.
    /// </summary>
    /// <exception cref="MedSegException">A folder with several series or none, or a series that cannot be one volume.</exception>
    public static DicomSeries SeriesAt(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var series = FindSeries(full);
            if (series.Count > 1)
            {
                throw new MedSegException(
                    $"{path} holds {series.Count} DICOM series ({string.Join("; ", series.Select(s => s.Description))}); pass one file of the series you mean, or its own folder.");
            }
            return series[0];
        }
        var header = DicomBackend.Current.ReadHeaders([full]);
        if (header.Count == 0)
        {
            throw new MedSegException($"{path} is not a DICOM image the DICOM library can read; pass a DICOM image file, a series folder or a NIfTI file.");
        }
        var all = Group(Files(Path.GetDirectoryName(full)!, recursive: false).ToArray());
        return all.First(s => s.Uid == header[0].SeriesUid);
    }

    /// <summary>Decodes every slice of <paramref name="series"/> (files in parallel) into one image on its grid, in true values (e.g. CT in HU).</summary>
    public static Volume<float> Read(DicomSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var backend = DicomBackend.Current;
        var shape = series.Geometry.Shape;
        var sliceSize = shape.X * shape.Y;
        var voxels = new float[checked(sliceSize * shape.Z)];
        // One decode per file: a multi-frame file fills all of its slices at once.
        var files = series.Slices.Select((slice, z) => (Slice: slice, Z: z)).GroupBy(s => s.Slice.File, StringComparer.Ordinal).ToArray();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            file => backend.ReadPixels(file.Select(s => s.Slice).ToArray(), file.Select(s => voxels.AsMemory(s.Z * sliceSize, sliceSize)).ToArray()));
        return new Volume<float>(series.Geometry, voxels);
    }

    private static List<DicomSeries> Group(IReadOnlyList<string> files) =>
        DicomBackend.Current.ReadHeaders(files)
            .GroupBy(h => h.SeriesUid, StringComparer.Ordinal)
            .Select(g => DicomSeries.Build(g.ToArray()))
            .OrderBy(s => Path.GetDirectoryName(s.Slices[0].File), StringComparer.Ordinal)
            .ThenBy(s => s.Slices[0].SeriesNumber ?? int.MaxValue)
            .ThenBy(s => s.Uid, StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Files(string folder, bool recursive) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden })
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
}
