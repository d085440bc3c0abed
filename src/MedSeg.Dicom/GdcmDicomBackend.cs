using System.Globalization;
using System.Runtime.InteropServices;
using MedSeg.Core;
using MedSeg.Core.Dicom;
using MedSeg.Core.Volumes;

namespace MedSeg.Dicom;

/// <summary>
/// <see cref="IDicomBackend"/> on GDCM (Debian's libgdcm-cil): tags through <c>gdcm.Scanner</c>, which reads each
/// file only up to the tags asked for (and a multi-frame file's functional groups through <see cref="FunctionalGroups"/>), and pixels through <c>gdcm.ImageReader</c>, which decodes every transfer
/// syntax GDCM was built with (uncompressed, RLE, JPEG baseline/lossless, JPEG-LS, JPEG 2000). Created by
/// <see cref="DicomBackend"/> through reflection; the constructor touches GDCM, so a missing native library fails here.
/// </summary>
public sealed class GdcmDicomBackend : IDicomBackend
{
    private static readonly gdcm.Tag SeriesUid = new(0x0020, 0x000E), StudyUid = new(0x0020, 0x000D), Position = new(0x0020, 0x0032),
        Orientation = new(0x0020, 0x0037), PixelSpacing = new(0x0028, 0x0030), Rows = new(0x0028, 0x0010), Columns = new(0x0028, 0x0011),
        Frames = new(0x0028, 0x0008), Slope = new(0x0028, 0x1053), Intercept = new(0x0028, 0x1052), Modality = new(0x0008, 0x0060),
        SeriesNumber = new(0x0020, 0x0011), SeriesDescription = new(0x0008, 0x103E), SopInstanceUid = new(0x0008, 0x0018),
        SopClassUid = new(0x0008, 0x0016), FrameOfReferenceUid = new(0x0020, 0x0052);

    public GdcmDicomBackend()
    {
        Name = "GDCM " + gdcm.Version.GetVersion();
        // GDCM prints its own diagnostics to stderr (e.g. "ComputeZSpacingFromIPP" for an enhanced file whose frames
        // are not stored in position order, which MedSeg sorts); MedSeg's checks and errors are the ones a user sees.
        gdcm.Trace.WarningOff();
        gdcm.Trace.ErrorOff();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<DicomSliceHeader> ReadHeaders(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var names = new gdcm.FilenamesType();
        foreach (var file in files)
        {
            names.Add(file);
        }
        using var scanner = new gdcm.Scanner();
        foreach (var tag in new[] { SeriesUid, StudyUid, Position, Orientation, PixelSpacing, Rows, Columns, Frames, Slope, Intercept, Modality, SeriesNumber, SeriesDescription, SopInstanceUid, SopClassUid, FrameOfReferenceUid })
        {
            scanner.AddTag(tag);
        }
        if (!scanner.Scan(names))
        {
            throw new MedSegException($"GDCM could not scan the DICOM files in {Path.GetDirectoryName(files[0])}; check that they are readable.");
        }
        var headers = new List<DicomSliceHeader>();
        foreach (var file in files)
        {
            string? Value(gdcm.Tag tag) => scanner.IsKey(file) && scanner.GetValue(file, tag) is { } v && v.Trim('\0', ' ') is { Length: > 0 } t ? t : null;
            // Only images: a series UID and pixel rows (DICOMDIR, reports and presentation states have no Rows), and
            // no segmentations (e.g. ones MedSeg wrote beside the series): they label images, they are none to segment.
            if (!scanner.IsKey(file) || Value(SeriesUid) is not { } uid || Integer(Value(Rows)) is not { } rows || Value(Modality) == "SEG")
            {
                continue;
            }
            var spacing = Numbers(Value(PixelSpacing));
            var header = new DicomSliceHeader(file, uid, Numbers(Value(Position)), Numbers(Value(Orientation)),
                spacing is { Length: 2 } ? spacing[0] : 0, spacing is { Length: 2 } ? spacing[1] : 0, rows, Integer(Value(Columns)) ?? 0,
                Integer(Value(Frames)) ?? 1, Numbers(Value(Slope)) is [var slope] ? slope : 1, Numbers(Value(Intercept)) is [var intercept] ? intercept : 0)
            {
                Modality = Value(Modality) ?? "",
                SeriesNumber = Integer(Value(SeriesNumber)),
                SeriesDescription = Value(SeriesDescription) ?? "",
                StudyUid = Value(StudyUid) ?? "",
                SopInstanceUid = Value(SopInstanceUid) ?? "",
                SopClassUid = Value(SopClassUid) ?? "",
                FrameOfReferenceUid = Value(FrameOfReferenceUid) ?? "",
            };
            headers.AddRange(header.Frames > 1 ? FunctionalGroups.Frames(header) : [header]);
        }
        return headers;
    }

    /// <inheritdoc />
    public void ReadPixels(IReadOnlyList<DicomSliceHeader> slices, IReadOnlyList<Memory<float>> destinations)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(destinations);
        if (slices.Count != destinations.Count || slices.Any(s => s.File != slices[0].File))
        {
            throw new ArgumentException("One destination for each slice, all slices of one file.", nameof(destinations));
        }
        var file = slices[0].File;
        using var reader = new gdcm.ImageReader();
        reader.SetFileName(file);
        if (!reader.Read())
        {
            throw new MedSegException($"GDCM could not decode the image in {file} (damaged, or a transfer syntax it was built without); re-export the series uncompressed.");
        }
        var image = reader.GetImage();
        using var format = image.GetPixelFormat();
        if (format.GetSamplesPerPixel() != 1)
        {
            throw new MedSegException($"DICOM file {file} has {format.GetSamplesPerPixel()} samples per pixel (a colour image); MedSeg segments grayscale CT and MR images.");
        }
        var buffer = new byte[image.GetBufferLength()];
        if (!image.GetBuffer(buffer))
        {
            throw new MedSegException($"GDCM could not decode the pixels of {file}; re-export the series uncompressed.");
        }
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i];
            var destination = destinations[i].Span;
            if (destination.Length != slice.Rows * slice.Columns)
            {
                throw new ArgumentException($"The destination holds {destination.Length} values but {slice.Source} has {slice.Rows * slice.Columns} pixels.", nameof(destinations));
            }
            switch (format.GetScalarType())
            {
                case gdcm.PixelFormat.ScalarType.UINT8: Convert<byte>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.INT8: Convert<sbyte>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.UINT16: Convert<ushort>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.INT16: Convert<short>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.UINT32: Convert<uint>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.INT32: Convert<int>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.FLOAT32: Convert<float>(buffer, destination, slice); break;
                case gdcm.PixelFormat.ScalarType.FLOAT64: Convert<double>(buffer, destination, slice); break;
                default: throw new MedSegException($"DICOM file {file} stores pixels as {format.GetScalarTypeAsString()}, which MedSeg does not read; re-export it with 8- to 32-bit pixels.");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> ReadPatient(string file)
    {
        using var names = new gdcm.FilenamesType();
        names.Add(file);
        using var scanner = new gdcm.Scanner();
        (string Key, gdcm.Tag Tag)[] tags = [("name", new(0x0010, 0x0010)), ("id", new(0x0010, 0x0020)), ("birth_date", new(0x0010, 0x0030))];
        foreach (var (_, tag) in tags)
        {
            scanner.AddTag(tag);
        }
        scanner.Scan(names);
        return tags.ToDictionary(t => t.Key, t => scanner.GetValue(file, t.Tag)?.Trim('\0', ' ') ?? "");
    }

    /// <inheritdoc />
    public void WriteSegmentation(string path, DicomSeries series, Volume<ushort> labels, IReadOnlyList<string> classes) =>
        DicomSegWriter.Write(path, series, labels, classes);

    /// <summary>Rescales the stored values of <paramref name="slice"/> (its frame's place in the decoded buffer) into <paramref name="destination"/>.</summary>
    private static void Convert<T>(byte[] buffer, Span<float> destination, DicomSliceHeader slice) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var values = MemoryMarshal.Cast<byte, T>(buffer);
        var start = (long)(slice.Frame ?? 0) * destination.Length;
        if (values.Length < start + destination.Length)
        {
            throw new MedSegException($"DICOM file {slice.File} holds {values.Length} pixels but its Rows × Columns × frames needs {start + destination.Length}; the file is damaged.");
        }
        values = values.Slice((int)start, destination.Length);
        double slope = slice.Slope, intercept = slice.Intercept;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(double.CreateTruncating(values[i]) * slope + intercept);
        }
    }

    /// <summary>The values of a multi-valued decimal text (DS), e.g. "1.5\\-2\\3"; null when absent or not numbers.</summary>
    internal static double[]? Numbers(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split('\\', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }
        return values;
    }

    private static int? Integer(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
