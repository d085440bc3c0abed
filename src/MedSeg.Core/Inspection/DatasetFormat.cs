namespace MedSeg.Core.Inspection;

/// <summary>The dataset layouts MedSeg reads; <see cref="Auto"/> recognises them from the folder's content.</summary>
public enum DatasetFormat
{
    Auto,

    /// <summary>UW-Madison (Kaggle): train.csv with RLE masks, train/caseN/caseN_dayM/scans/*.png (or test/).</summary>
    UwMadison,

    /// <summary>nnU-Net v2 raw: dataset.json, imagesTr/, labelsTr/, imagesTs/ of NIfTI files.</summary>
    NnUnet,

    /// <summary>2-D folder (CamVid-like): images/ and masks/ with matching file names.</summary>
    Folder,

    /// <summary>DICOM: a folder of DICOM series (one file per slice, searched recursively), one volume per series.</summary>
    Dicom,
}
