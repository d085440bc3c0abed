using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Dicom;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using static MedSeg.Dicom.DicomElements;
using VRType = gdcm.VR.VRType;

namespace MedSeg.Dicom;

/// <summary>
/// Writes a label map as a binary DICOM Segmentation (Segmentation Storage, 1.2.840.10008.5.1.4.1.1.66.4): one
/// segment per class, one 1-bit frame per (segment, slice) where the class is present, each frame with its plane
/// position and the source image it was derived from (and its frame number, for a multi-frame source), in the source study and frame of reference. The patient and
/// study tags the IOD requires (type 2) are written empty: the object carries only the UIDs its references need.
/// </summary>
internal static class DicomSegWriter
{
    private const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    public static void Write(string path, DicomSeries series, Volume<ushort> labels, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (!labels.Geometry.Matches(series.Geometry))
        {
            throw new ArgumentException($"The label map is on {labels.Shape}, not on the grid of {series.Description}.", nameof(labels));
        }
        var shape = labels.Shape;
        var slice = shape.X * shape.Y;
        var frames = new List<(int Segment, int Z)>();
        for (var c = 1; c <= classes.Count; c++)
        {
            for (var z = 0; z < shape.Z; z++)
            {
                if (labels.Voxels.AsSpan(z * slice, slice).Contains((ushort)c))
                {
                    frames.Add((c, z));
                }
            }
        }
        if (frames.Count == 0)
        {
            // A segmentation needs at least one frame: an empty one of the first segment says "nowhere".
            frames.Add((1, 0));
        }
        using var uids = new gdcm.UIDGenerator();
        // The data set is filled in the writer's own File: Writer.SetFile keeps a reference-counted pointer that
        // deletes a File it was given when the writer goes, which a .NET-owned File would then free a second time.
        using var writer = new gdcm.Writer();
        var file = writer.GetFile();
        var set = file.GetDataSet();
        var first = series.Slices[0];
        var now = DateTime.UtcNow;
        Text(set, 0x0008, 0x0008, VRType.CS, "DERIVED\\PRIMARY");
        Text(set, 0x0008, 0x0016, VRType.UI, SegmentationStorage);
        Text(set, 0x0008, 0x0018, VRType.UI, uids.Generate());
        Text(set, 0x0008, 0x0020, VRType.DA, "");
        Text(set, 0x0008, 0x0023, VRType.DA, now.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        Text(set, 0x0008, 0x0030, VRType.TM, "");
        Text(set, 0x0008, 0x0033, VRType.TM, now.ToString("HHmmss", CultureInfo.InvariantCulture));
        Text(set, 0x0008, 0x0050, VRType.SH, "");
        Text(set, 0x0008, 0x0060, VRType.CS, "SEG");
        Text(set, 0x0008, 0x0070, VRType.LO, "MedSeg");
        Text(set, 0x0008, 0x0090, VRType.PN, "");
        Text(set, 0x0008, 0x103E, VRType.LO, "MedSeg segmentation");
        Text(set, 0x0008, 0x1090, VRType.LO, "MedSeg");
        Sequence(set, 0x0008, 0x1115, item =>
        {
            Text(item, 0x0020, 0x000E, VRType.UI, series.Uid);
            Sequence(item, 0x0008, 0x114A, series.Slices.DistinctBy(s => s.SopInstanceUid).Select(Reference).ToArray());
        });
        Text(set, 0x0010, 0x0010, VRType.PN, "");
        Text(set, 0x0010, 0x0020, VRType.LO, "");
        Text(set, 0x0010, 0x0030, VRType.DA, "");
        Text(set, 0x0010, 0x0040, VRType.CS, "");
        // Enhanced General Equipment (type 1): the "device" is MedSeg, which has no serial number of its own.
        Text(set, 0x0018, 0x1000, VRType.LO, "1");
        Text(set, 0x0018, 0x1020, VRType.LO, "MedSeg " + typeof(DicomSegWriter).Assembly.GetName().Version);
        Text(set, 0x0020, 0x000D, VRType.UI, first.StudyUid);
        Text(set, 0x0020, 0x000E, VRType.UI, uids.Generate());
        Text(set, 0x0020, 0x0010, VRType.SH, "");
        Text(set, 0x0020, 0x0011, VRType.IS, "9901");
        Text(set, 0x0020, 0x0013, VRType.IS, "1");
        Text(set, 0x0020, 0x0052, VRType.UI, first.FrameOfReferenceUid.Length > 0 ? first.FrameOfReferenceUid : uids.Generate());
        Text(set, 0x0020, 0x1040, VRType.LO, "");
        var dimensionUid = uids.Generate();
        Sequence(set, 0x0020, 0x9221, item => Text(item, 0x0020, 0x9164, VRType.UI, dimensionUid));
        Sequence(set, 0x0020, 0x9222,
            item => { Text(item, 0x0020, 0x9164, VRType.UI, dimensionUid); AttributeTag(item, 0x0020, 0x9165, 0x0062, 0x000B); AttributeTag(item, 0x0020, 0x9167, 0x0062, 0x000A); },
            item => { Text(item, 0x0020, 0x9164, VRType.UI, dimensionUid); AttributeTag(item, 0x0020, 0x9165, 0x0020, 0x0032); AttributeTag(item, 0x0020, 0x9167, 0x0020, 0x9113); });
        UShort(set, 0x0028, 0x0002, 1);
        Text(set, 0x0028, 0x0004, VRType.CS, "MONOCHROME2");
        Text(set, 0x0028, 0x0008, VRType.IS, frames.Count.ToString(CultureInfo.InvariantCulture));
        UShort(set, 0x0028, 0x0010, (ushort)shape.Y);
        UShort(set, 0x0028, 0x0011, (ushort)shape.X);
        UShort(set, 0x0028, 0x0100, 1);
        UShort(set, 0x0028, 0x0101, 1);
        UShort(set, 0x0028, 0x0102, 0);
        UShort(set, 0x0028, 0x0103, 0);
        Text(set, 0x0028, 0x2110, VRType.CS, "00");
        Text(set, 0x0062, 0x0001, VRType.CS, "BINARY");
        Sequence(set, 0x0062, 0x0002, classes.Select((name, i) => Segment(i + 1, name)).ToArray());
        Text(set, 0x0070, 0x0080, VRType.CS, "MEDSEG");
        Text(set, 0x0070, 0x0081, VRType.LO, "MedSeg label map");
        Text(set, 0x0070, 0x0084, VRType.PN, "");
        var spacing = series.Geometry.Spacing;
        Sequence(set, 0x5200, 0x9229, item =>
        {
            Sequence(item, 0x0028, 0x9110, measures =>
            {
                Text(measures, 0x0028, 0x0030, VRType.DS, $"{Ds(first.RowSpacing)}\\{Ds(first.ColumnSpacing)}");
                Text(measures, 0x0018, 0x0050, VRType.DS, Ds(spacing.Z));
                Text(measures, 0x0018, 0x0088, VRType.DS, Ds(spacing.Z));
            });
            Sequence(item, 0x0020, 0x9116, plane => Text(plane, 0x0020, 0x0037, VRType.DS, string.Join('\\', first.Orientation!.Select(Ds))));
        });
        Sequence(set, 0x5200, 0x9230, frames.Select(f => Frame(f.Segment, f.Z, series.Slices[f.Z])).ToArray());
        Bytes(set, 0x7FE0, 0x0010, VRType.OB, PackBits(labels, frames));
        using var syntax = new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian);
        file.GetHeader().SetDataSetTransferSyntax(syntax);
        AtomicFile.Write(path, temp =>
        {
            writer.SetFileName(temp);
            if (!writer.Write())
            {
                throw new MedSegException($"GDCM could not write the segmentation {path}; check that its folder is writable.");
            }
        });
    }

    private static Action<gdcm.DataSet> Reference(DicomSliceHeader slice) => item =>
    {
        Text(item, 0x0008, 0x1150, VRType.UI, slice.SopClassUid);
        Text(item, 0x0008, 0x1155, VRType.UI, slice.SopInstanceUid);
    };

    private static Action<gdcm.DataSet> Segment(int number, string name) => item =>
    {
        Sequence(item, 0x0062, 0x0003, Code("123037004", "SCT", "Anatomical Structure"));
        UShort(item, 0x0062, 0x0004, (ushort)number);
        Text(item, 0x0062, 0x0005, VRType.LO, name);
        Text(item, 0x0062, 0x0008, VRType.CS, "AUTOMATIC");
        Text(item, 0x0062, 0x0009, VRType.LO, "MedSeg");
        Sequence(item, 0x0062, 0x000F, Code(number.ToString(CultureInfo.InvariantCulture), "99MEDSEG", name));
    };

    private static Action<gdcm.DataSet> Frame(int segment, int z, DicomSliceHeader slice) => item =>
    {
        Sequence(item, 0x0008, 0x9124, derivation =>
        {
            Sequence(derivation, 0x0008, 0x2112, source =>
            {
                Reference(slice)(source);
                if (slice.Frame is { } frame)
                {
                    Text(source, 0x0008, 0x1160, VRType.IS, (frame + 1).ToString(CultureInfo.InvariantCulture));
                }
                Sequence(source, 0x0040, 0xA170, Code("121322", "DCM", "Source image for image processing operation"));
            });
            Sequence(derivation, 0x0008, 0x9215, Code("113076", "DCM", "Segmentation"));
        });
        Sequence(item, 0x0020, 0x9111, content => ULongs(content, 0x0020, 0x9157, (uint)segment, (uint)(z + 1)));
        Sequence(item, 0x0020, 0x9113, plane => Text(plane, 0x0020, 0x0032, VRType.DS, string.Join('\\', slice.Position!.Select(Ds))));
        Sequence(item, 0x0062, 0x000A, id => UShort(id, 0x0062, 0x000B, (ushort)segment));
    };

    /// <summary>The frames' pixels, one bit each, first pixel in the lowest bit, frames back to back, padded to an even length.</summary>
    private static byte[] PackBits(Volume<ushort> labels, IReadOnlyList<(int Segment, int Z)> frames)
    {
        var slice = labels.Shape.X * labels.Shape.Y;
        var bits = (long)slice * frames.Count;
        var bytes = new byte[(bits + 15) / 16 * 2];
        long bit = 0;
        foreach (var (segment, z) in frames)
        {
            var voxels = labels.Voxels.AsSpan(z * slice, slice);
            for (var i = 0; i < voxels.Length; i++, bit++)
            {
                if (voxels[i] == segment)
                {
                    bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }
        return bytes;
    }

    /// <summary>A decimal string (DS) of at most 16 characters.</summary>
    private static string Ds(double value)
    {
        var text = value.ToString("G10", CultureInfo.InvariantCulture);
        return text.Length <= 16 ? text : value.ToString("G8", CultureInfo.InvariantCulture);
    }
}
