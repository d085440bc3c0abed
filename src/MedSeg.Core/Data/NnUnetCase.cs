using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// One case of an nnU-Net raw dataset: one NIfTI image per channel (<c>CASE_0000</c>, <c>CASE_0001</c>, ...) and,
/// for a training case, a label map <c>CASE</c> on the same grid. Nothing is read until asked.
/// </summary>
public sealed class NnUnetCase
{
    private readonly int _labelCount;

    internal NnUnetCase(string id, IReadOnlyList<string> imagePaths, string? labelPath, int labelCount)
    {
        Id = id;
        ImagePaths = imagePaths;
        LabelPath = labelPath;
        _labelCount = labelCount;
    }

    /// <summary>The case identifier (file name without channel suffix and ending).</summary>
    public string Id { get; }

    /// <summary>Full paths of the channel images, channel 0 first.</summary>
    public IReadOnlyList<string> ImagePaths { get; }

    /// <summary>Full path of the label map, or null for a test case (imagesTs).</summary>
    public string? LabelPath { get; }

    /// <summary>Whether the case has a label map (imagesTr + labelsTr).</summary>
    public bool IsTraining => LabelPath is not null;

    /// <summary>Reads every channel into one multi-channel image (channels in suffix order) on channel 0's grid.</summary>
    /// <exception cref="MedSegException">A file is unreadable, holds several channels itself, or lies on another grid than channel 0.</exception>
    public Volume<float> ReadImage()
    {
        var first = ReadChannel(0);
        if (ImagePaths.Count == 1)
        {
            return first;
        }
        int count = (int)first.Shape.VoxelCount;
        var voxels = new float[checked(count * ImagePaths.Count)];
        first.Voxels.CopyTo(voxels, 0);
        for (int c = 1; c < ImagePaths.Count; c++)
        {
            var channel = ReadChannel(c);
            RequireGrid(channel.Geometry, first.Geometry, ImagePaths[c], "image", ImagePaths[0], "resample it onto channel 0's grid");
            channel.Voxels.CopyTo(voxels, c * count);
        }
        return new Volume<float>(first.Geometry, voxels, ImagePaths.Count);
    }

    /// <summary>Reads the label map and checks it against the image grid and the dataset's labels.</summary>
    /// <exception cref="MedSegException">No label map (a test case), an unreadable file, another grid than the image, or a value that is no label of dataset.json.</exception>
    public Volume<ushort> ReadLabels() => ReadLabels(ImageFiles.ReadGeometry(ImagePaths[0]));

    /// <summary>Reads the image and, for a training case, the checked label map.</summary>
    public (Volume<float> Image, Volume<ushort>? Labels) Read()
    {
        var image = ReadImage();
        return (image, IsTraining ? ReadLabels(image.Geometry) : null);
    }

    /// <inheritdoc />
    public override string ToString() => Id;

    /// <summary>The one-sentence error for a volume on another grid than the one it must share.</summary>
    internal static void RequireGrid(VolumeGeometry actual, VolumeGeometry expected, string path, string what, string reference, string fix)
    {
        if (actual.Matches(expected))
        {
            return;
        }
        string difference = actual.Shape != expected.Shape
            ? $"shape {actual.Shape} instead of {expected.Shape}"
            : $"an affine that differs by up to {actual.Affine.MaxDifference(expected.Affine):G3} mm ({actual.Affine} instead of {expected.Affine})";
        throw new MedSegException($"The {what} {path} is on another grid than {reference}: {difference}; {fix}.");
    }

    /// <summary>The first voxel whose label is not below <paramref name="labelCount"/>, as an error.</summary>
    internal static void RequireLabels(Volume<ushort> labels, int labelCount, string path)
    {
        int bad = labels.Voxels.AsSpan().IndexOfAnyInRange((ushort)labelCount, ushort.MaxValue);
        if (bad >= 0)
        {
            var s = labels.Shape;
            throw new MedSegException(
                $"Label map {path} has value {labels.Voxels[bad]} at voxel ({bad % s.X}, {bad / s.X % s.Y}, {bad / s.X / s.Y % s.Z}), but dataset.json defines labels 0 to {labelCount - 1}; fix the label map or add the label to dataset.json.");
        }
    }

    private Volume<ushort> ReadLabels(VolumeGeometry imageGeometry)
    {
        if (LabelPath is null)
        {
            throw new MedSegException($"Case {Id} ({ImagePaths[0]}) is a test case without a label map; use a case from imagesTr/labelsTr.");
        }
        var labels = Nifti.ReadLabels(LabelPath);
        if (labels.Channels != 1)
        {
            throw new MedSegException($"Label map {LabelPath} has {labels.Channels} volumes in its 4th dimension; an nnU-Net label map is one 3-D volume, so keep only the labels.");
        }
        RequireGrid(labels.Geometry, imageGeometry, LabelPath, "label map", $"its image {ImagePaths[0]}", "resample the label map onto the image grid (nearest neighbour)");
        RequireLabels(labels, _labelCount, LabelPath);
        return labels;
    }

    private Volume<float> ReadChannel(int channel)
    {
        var image = ImageFiles.ReadImage(ImagePaths[channel]);
        if (image.Channels != 1)
        {
            throw new MedSegException(
                $"Image {ImagePaths[channel]} has {image.Channels} volumes in its 4th dimension, but nnU-Net stores one channel per file; split it into {Id}_0000, {Id}_0001, ...");
        }
        return image;
    }
}
