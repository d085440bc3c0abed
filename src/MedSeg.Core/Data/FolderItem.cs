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
    /// <exception cref="MedSegException">An unreadable file, a mask that is not 8-bit class indices (<see cref="FolderMask.Read"/>), a size mismatch, or a value that is no class.</exception>
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

    /// <summary>Reads the mask alone (H×W class indices), checked by <see cref="FolderMask.Read"/>.</summary>
    /// <exception cref="MedSegException">No mask, an unreadable file, a mask that is not 8-bit class indices, or a value that is no class.</exception>
    public RasterImage ReadMask()
    {
        if (MaskPath is null)
        {
            throw new MedSegException($"Image {ImagePath} has no mask; its dataset has no masks/ folder.");
        }
        return FolderMask.Read(MaskPath, _labelCount);
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
