using MedSeg.Core.Dicom;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// The one place images are read from disk by path: a NIfTI file (<see cref="Nifti"/>), or a DICOM series — its
/// folder, or one of its files (<see cref="DicomFolder.SeriesAt"/>). <c>inspect</c>, <c>predict</c> and the
/// nnU-Net preprocessing of <c>train</c> all read through it.
/// </summary>
public static class ImageFiles
{
    /// <summary>Whether <paramref name="path"/> is read as DICOM: a folder, or a DICOM file (a NIfTI name is not opened to check).</summary>
    public static bool IsDicom(string path) =>
        Directory.Exists(path)
        || (!path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) && DicomFolder.IsDicomFile(path));

    /// <summary>The image at <paramref name="path"/> in true values (NIfTI scaling or DICOM rescale applied).</summary>
    /// <exception cref="MedSegException">The file or series cannot be read; the message names it.</exception>
    public static Volume<float> ReadImage(string path) =>
        IsDicom(path) ? DicomFolder.Read(DicomFolder.SeriesAt(path)) : Nifti.ReadImage(path);

    /// <summary>The grid of the image at <paramref name="path"/>, reading only headers.</summary>
    /// <exception cref="MedSegException">The file or series cannot be read; the message names it.</exception>
    public static VolumeGeometry ReadGeometry(string path) =>
        IsDicom(path) ? DicomFolder.SeriesAt(path).Geometry : Nifti.ReadHeader(path).Geometry;
}
