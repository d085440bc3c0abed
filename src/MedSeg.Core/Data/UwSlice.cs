using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// One axial slice of a UW-Madison data folder: its id, image file, size and spacing (from the file name), and
/// one RLE mask string per dataset class. A slice preprocessed from a multi-channel NIfTI volume has one PNG per
/// image channel (<see cref="ChannelPaths"/>: <c>scans/</c>, then <c>scans_0001/</c>, ... of its case-day, same file
/// name). Nothing is read from disk until <see cref="ReadImage"/> or <see cref="DecodeMask(int)"/> is called.
/// </summary>
public sealed class UwSlice
{
    private readonly string? _labelsPath;
    private readonly int[] _labelLines;
    private readonly IntensityMapping?[] _intensities;

    internal UwSlice(UwSliceId id, string imagePath, UwSliceFileName fileName, IReadOnlyList<string> rles, string? labelsPath, int[] labelLines,
        IReadOnlyList<(string Path, IntensityMapping? Intensity)>? extraChannels = null, IntensityMapping? intensity = null)
    {
        Intensity = intensity;
        Id = id;
        ImagePath = imagePath;
        extraChannels ??= [];
        ChannelPaths = [imagePath, .. extraChannels.Select(c => c.Path)];
        _intensities = [intensity, .. extraChannels.Select(c => c.Intensity)];
        FileName = fileName;
        Rles = rles;
        _labelsPath = labelsPath;
        _labelLines = labelLines;
    }

    /// <summary>The slice id, <c>caseN_dayM_slice_XXXX</c>.</summary>
    public UwSliceId Id { get; }

    /// <summary>Full path of the 16-bit PNG (of image channel 0).</summary>
    public string ImagePath { get; }

    /// <summary>Full paths of the 16-bit PNGs of every image channel, channel 0 (<see cref="ImagePath"/>) first.</summary>
    public IReadOnlyList<string> ChannelPaths { get; }

    /// <summary>Image channels of the slice (1 for UW-Madison data).</summary>
    public int Channels => ChannelPaths.Count;

    /// <summary>What the image file name says: slice number, size and spacing.</summary>
    public UwSliceFileName FileName { get; }

    /// <summary>Image height (rows) in pixels, from the file name.</summary>
    public int Height => FileName.Height;

    /// <summary>Image width (columns) in pixels, from the file name.</summary>
    public int Width => FileName.Width;

    /// <summary>Pixel spacing along x (between columns) in mm.</summary>
    public double SpacingX => FileName.SpacingX;

    /// <summary>Pixel spacing along y (between rows) in mm.</summary>
    public double SpacingY => FileName.SpacingY;

    /// <summary>
    /// How the stored 16-bit values map back to the original intensities (a slice preprocessed from NIfTI: its
    /// case-day's <see cref="IntensityMapping.FileName"/>), or null when the PNG values are the image's own.
    /// </summary>
    public IntensityMapping? Intensity { get; }

    /// <summary>The <see cref="Intensity"/> of image channel <paramref name="channel"/>.</summary>
    public IntensityMapping? IntensityOf(int channel) => _intensities[channel];

    /// <summary>One RLE string per dataset class ("" = empty mask); an empty list when the dataset has no labels.</summary>
    public IReadOnlyList<string> Rles { get; }

    /// <summary>Decodes the mask of class <paramref name="classIndex"/> as H×W row-major 0/1 bytes.</summary>
    /// <exception cref="MedSegException">The dataset has no labels, or the RLE is malformed (the message names the CSV line).</exception>
    public byte[] DecodeMask(int classIndex)
    {
        var mask = new byte[checked(Height * Width)];
        DecodeMask(classIndex, mask);
        return mask;
    }

    /// <summary>Decodes the mask of class <paramref name="classIndex"/> into <paramref name="mask"/> (length H×W).</summary>
    /// <exception cref="MedSegException">The dataset has no labels, or the RLE is malformed (the message names the CSV line).</exception>
    public void DecodeMask(int classIndex, Span<byte> mask)
    {
        if (Rles.Count == 0)
        {
            throw new MedSegException(
                $"Slice {Id} has no masks because its data folder has no train.csv; use a labelled UW-Madison folder.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Rles.Count);
        Rle.Decode(Rles[classIndex], mask, Height, Width, $"{_labelsPath} line {_labelLines[classIndex]} ({Id})");
    }

    /// <summary>Reads image channel <paramref name="channel"/> as H×W row-major 16-bit values.</summary>
    /// <exception cref="MedSegException">The file is unreadable, or its size differs from the one its name states.</exception>
    public ushort[] ReadImage(int channel = 0)
    {
        ushort[] pixels = Png16.Read(ChannelPaths[channel], out int height, out int width);
        if (height != Height || width != Width)
        {
            throw new MedSegException(
                $"Image {ChannelPaths[channel]} is {width} wide and {height} high but its file name says {Width}×{Height} (width×height); rename the file to match the image.");
        }
        return pixels;
    }

    /// <inheritdoc />
    public override string ToString() => Id.ToString();
}
