using MedSeg.Core.IO;

namespace MedSeg.Core.Data;

/// <summary>One image of a folder dataset and its mask of class indices (same file stem), read on demand.</summary>
public sealed class FolderItem
{
    private readonly int? _labelCount;

    internal FolderItem(string id, string imagePath, string? maskPath, int? labelCount)
    {
        Id = id;
        ImagePath = imagePath;
        MaskPath = maskPath;
        _labelCount = labelCount;
    }

    /// <summary>The file stem shared by image and mask.</summary>
    public string Id { get; }

    public string ImagePath { get; }

    /// <summary>The mask, or null when the dataset has no masks/ folder.</summary>
    public string? MaskPath { get; }

    /// <summary>Reads the image (8/16-bit gray or 8-bit RGB).</summary>
    public RasterImage ReadImage() => RasterImage.Read(ImagePath);

    /// <summary>Reads the image and its mask (H×W class indices), checking that their sizes agree.</summary>
    /// <exception cref="MedSegException">An unreadable file, a colour mask, a size mismatch, or a value that is no class of classes.txt.</exception>
    public (RasterImage Image, ushort[]? Mask) Read()
    {
        var image = ReadImage();
        if (MaskPath is null)
        {
            return (image, null);
        }
        var mask = ReadMask();
        if (mask.Height != image.Height || mask.Width != image.Width)
        {
            throw new MedSegException(
                $"Mask {MaskPath} is {mask.Width}×{mask.Height} but its image {ImagePath} is {image.Width}×{image.Height} (width×height); make them the same size.");
        }
        return (image, mask.Pixels);
    }

    /// <summary>Reads the mask alone (H×W class indices).</summary>
    /// <exception cref="MedSegException">No mask, an unreadable file, a colour mask, or a value that is no class of classes.txt.</exception>
    public RasterImage ReadMask()
    {
        if (MaskPath is null)
        {
            throw new MedSegException($"Image {ImagePath} has no mask; its dataset has no masks/ folder.");
        }
        var mask = RasterImage.Read(MaskPath);
        if (mask.Channels != 1)
        {
            throw new MedSegException(
                $"Mask {MaskPath} has {mask.Channels} channels, but a mask holds one class index per pixel; save it as an 8-bit grayscale PNG of class indices (not colours).");
        }
        if (_labelCount is int count)
        {
            int bad = mask.Pixels.AsSpan().IndexOfAnyInRange((ushort)count, ushort.MaxValue);
            if (bad >= 0)
            {
                throw new MedSegException(
                    $"Mask {MaskPath} has value {mask.Pixels[bad]} at row {bad / mask.Width}, column {bad % mask.Width}, but classes.txt defines classes 0 to {count - 1}; fix the mask or add the class to classes.txt.");
            }
        }
        return mask;
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
