namespace MedSeg.Core.IO;

/// <summary>How <c>predict</c> writes a label map: <c>nifti</c> (CASE.nii.gz on the image's grid) or <c>dicom-seg</c>.</summary>
public enum LabelMapFormat
{
    /// <summary>NIfTI label map CASE.nii.gz (uint8), on the input image's grid and affine.</summary>
    Nifti,

    /// <summary>Binary DICOM Segmentation CASE.dcm referencing the source DICOM series (DICOM input only).</summary>
    DicomSeg,
}
