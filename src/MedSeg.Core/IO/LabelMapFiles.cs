using MedSeg.Core.Data;
using MedSeg.Core.Dicom;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>Writes <c>predict</c>'s label maps in a <see cref="LabelMapFormat"/>, and names the formats on the command line.</summary>
public static class LabelMapFiles
{
    /// <summary>The command-line names, in <see cref="LabelMapFormat"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nifti", "dicom-seg"];

    /// <summary>The format named <paramref name="name"/> by <c>--format</c>.</summary>
    /// <exception cref="MedSegException">Not one of <see cref="Names"/>.</exception>
    public static LabelMapFormat Parse(string name)
    {
        var index = Names.ToList().IndexOf(name);
        return index >= 0 ? (LabelMapFormat)index : throw new MedSegException($"--format {name} is not a label map format; valid: {string.Join(", ", Names)}.");
    }

    /// <summary>The file name of case <paramref name="id"/>'s label map: <c>ID.nii.gz</c>, or <c>ID.dcm</c> for a DICOM segmentation.</summary>
    public static string FileName(string id, LabelMapFormat format) => id + (format == LabelMapFormat.Nifti ? ".nii.gz" : ".dcm");

    /// <summary>Refuses, before any work, <see cref="LabelMapFormat.DicomSeg"/> output for <paramref name="images"/> that are not all DICOM series.</summary>
    /// <exception cref="MedSegException">DICOM-SEG asked for a NIfTI image, named in the message.</exception>
    public static void CheckInputs(NiftiImageSet images, LabelMapFormat format)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (format == LabelMapFormat.DicomSeg && images.Cases.FirstOrDefault(c => !ImageFiles.IsDicom(c.ImagePaths[0])) is { } nifti)
        {
            throw NotDicom(nifti.ImagePaths[0]);
        }
    }

    /// <summary>
    /// Writes the label map of case <paramref name="id"/> into <paramref name="folder"/>: <c>ID.nii.gz</c>, or for
    /// <see cref="LabelMapFormat.DicomSeg"/> <c>ID.dcm</c>, a segmentation of the DICOM series <paramref name="imagePath"/>
    /// names with one segment per class of <paramref name="classes"/>.
    /// </summary>
    /// <exception cref="MedSegException">DICOM-SEG asked for an image that is not a DICOM series.</exception>
    public static void Write(string folder, string id, string imagePath, Volume<byte> labels, IReadOnlyList<string> classes, LabelMapFormat format)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (format == LabelMapFormat.Nifti)
        {
            Nifti.Write(Path.Combine(folder, FileName(id, format)), labels);
            return;
        }
        if (!ImageFiles.IsDicom(imagePath))
        {
            throw NotDicom(imagePath);
        }
        var series = DicomFolder.SeriesAt(imagePath);
        var wide = new Volume<ushort>(labels.Geometry, Array.ConvertAll(labels.Voxels, v => (ushort)v), labels.Channels);
        DicomBackend.Current.WriteSegmentation(Path.Combine(folder, FileName(id, format)), series, wide, classes);
    }

    private static MedSegException NotDicom(string imagePath) =>
        new($"--format dicom-seg writes segmentations of DICOM series, but {imagePath} is a NIfTI image; leave --format out (NIfTI label maps) or pass the DICOM series.");
}
