using System.Text;
using MedSeg.Core;
using MedSeg.Core.Dicom;

namespace MedSeg.Dicom;

/// <summary>
/// The frames of a multi-frame (enhanced) CT/MR image as slices: each frame's ImagePositionPatient from its
/// PlanePositionSequence (0020,9113), and ImageOrientationPatient (PlaneOrientationSequence, 0020,9116), PixelSpacing
/// (PixelMeasuresSequence, 0028,9110) and RescaleSlope/Intercept (PixelValueTransformationSequence, 0028,9145) from the
/// frame's own functional groups, else the shared ones, else the file's top level. GDCM's scanner sees only top-level
/// tags, so the file's header (everything before the pixels) is read once with <c>gdcm.Reader</c>.
/// </summary>
internal static class FunctionalGroups
{
    /// <summary>
    /// One header per frame of <paramref name="file"/> (whose top-level tags the scanner read), in stored order; the
    /// file's own header, unchanged, when it has no per-frame functional groups.
    /// </summary>
    /// <exception cref="MedSegException">The header cannot be read, or the per-frame items do not match NumberOfFrames.</exception>
    public static IReadOnlyList<DicomSliceHeader> Frames(DicomSliceHeader file)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(file.File);
        using var pixelData = new gdcm.Tag(0x7FE0, 0x0010);
        if (!reader.ReadUpToTag(pixelData))
        {
            throw new MedSegException($"GDCM could not read the header of the multi-frame DICOM file {file.File}; the file is damaged or not DICOM.");
        }
        var set = reader.GetFile().GetDataSet();
        var perFrame = Items(set, 0x5200, 0x9230);
        if (perFrame.Count == 0)
        {
            return [file];
        }
        if (perFrame.Count != file.Frames)
        {
            throw new MedSegException(
                $"DICOM file {file.File} holds {file.Frames} frames (NumberOfFrames) but {perFrame.Count} items in its PerFrameFunctionalGroupsSequence (5200,9230); the file is damaged, re-export it.");
        }
        var shared = Items(set, 0x5200, 0x9229) is [var one] ? one : null;
        var headers = new DicomSliceHeader[perFrame.Count];
        for (var k = 0; k < headers.Length; k++)
        {
            gdcm.DataSet?[] groups = [perFrame[k], shared];
            double[]? Find(ushort group, ushort macro, ushort element) =>
                groups.Select(g => g is null ? null : GdcmDicomBackend.Numbers(Nested(g, group, macro, element))).FirstOrDefault(v => v is not null);
            var spacing = Find(0x0028, 0x9110, 0x0030);
            headers[k] = file with
            {
                Position = Find(0x0020, 0x9113, 0x0032),
                Orientation = Find(0x0020, 0x9116, 0x0037) ?? file.Orientation,
                RowSpacing = spacing is { Length: 2 } ? spacing[0] : file.RowSpacing,
                ColumnSpacing = spacing is { Length: 2 } ? spacing[1] : file.ColumnSpacing,
                Slope = Find(0x0028, 0x9145, 0x1053) is [var slope] ? slope : file.Slope,
                Intercept = Find(0x0028, 0x9145, 0x1052) is [var intercept] ? intercept : file.Intercept,
                Frame = k,
            };
        }
        return headers;
    }

    /// <summary>
    /// The text of the element (<paramref name="group"/>, <paramref name="element"/>) in the first item of the
    /// functional group macro (<paramref name="group"/>, <paramref name="macro"/>) of <paramref name="functionalGroup"/>
    /// (each macro used here nests elements of its own group); null when absent.
    /// </summary>
    private static string? Nested(gdcm.DataSet functionalGroup, ushort group, ushort macro, ushort element) =>
        Items(functionalGroup, group, macro) is [var item, ..] ? Text(item, group, element) : null;

    /// <summary>The data sets of the items of the sequence (<paramref name="group"/>, <paramref name="element"/>); none when absent or empty.</summary>
    private static List<gdcm.DataSet> Items(gdcm.DataSet set, ushort group, ushort element)
    {
        using var tag = new gdcm.Tag(group, element);
        var items = new List<gdcm.DataSet>();
        if (!set.FindDataElement(tag))
        {
            return items;
        }
        var sequence = set.GetDataElement(tag).GetValueAsSQ();
        var count = sequence?.__ref__() is null ? 0u : sequence.GetNumberOfItems();
        for (uint i = 1; i <= count; i++)
        {
            items.Add(sequence!.GetItem(i).GetNestedDataSet());
        }
        return items;
    }

    private static string? Text(gdcm.DataSet set, ushort group, ushort element)
    {
        using var tag = new gdcm.Tag(group, element);
        if (!set.FindDataElement(tag) || set.GetDataElement(tag).GetByteValue() is not { } value)
        {
            return null;
        }
        var length = (uint)value.GetLength();
        var bytes = new byte[length];
        return value.GetBuffer(bytes, length) ? Encoding.ASCII.GetString(bytes).Trim('\0', ' ') : null;
    }
}
