namespace MedSeg.Core.Dicom;

/// <summary>
/// The tags of one DICOM image file, or of one frame of a multi-frame (enhanced) file, that place it in a series and
/// on a grid, as the DICOM backend read them (no pixels, no patient tags). Positions and directions are in the
/// patient's LPS frame, as DICOM stores them; for a frame they come from the file's functional groups (per-frame,
/// else shared).
/// </summary>
/// <param name="File">Full path of the file.</param>
/// <param name="SeriesUid">SeriesInstanceUID (0020,000E).</param>
/// <param name="Position">ImagePositionPatient (0020,0032): x, y, z in mm of the centre of the first pixel; null when absent.</param>
/// <param name="Orientation">ImageOrientationPatient (0020,0037): the row direction (3 values) then the column direction; null when absent.</param>
/// <param name="RowSpacing">PixelSpacing (0028,0030) first value: mm between the centres of adjacent rows.</param>
/// <param name="ColumnSpacing">PixelSpacing second value: mm between the centres of adjacent columns.</param>
/// <param name="Rows">Rows (0028,0010).</param>
/// <param name="Columns">Columns (0028,0011).</param>
/// <param name="Frames">NumberOfFrames (0028,0008) of the file, 1 when absent.</param>
/// <param name="Slope">RescaleSlope (0028,1053), 1 when absent.</param>
/// <param name="Intercept">RescaleIntercept (0028,1052), 0 when absent.</param>
public sealed record DicomSliceHeader(
    string File,
    string SeriesUid,
    double[]? Position,
    double[]? Orientation,
    double RowSpacing,
    double ColumnSpacing,
    int Rows,
    int Columns,
    int Frames,
    double Slope,
    double Intercept)
{
    /// <summary>Modality (0008,0060), e.g. CT or MR; empty when absent.</summary>
    public string Modality { get; init; } = "";

    /// <summary>SeriesNumber (0020,0011); null when absent.</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>SeriesDescription (0008,103E); empty when absent.</summary>
    public string SeriesDescription { get; init; } = "";

    /// <summary>StudyInstanceUID (0020,000D), which a segmentation referencing this series repeats.</summary>
    public string StudyUid { get; init; } = "";

    /// <summary>SOPInstanceUID (0008,0018), by which a segmentation references this image.</summary>
    public string SopInstanceUid { get; init; } = "";

    /// <summary>SOPClassUID (0008,0016) of this image.</summary>
    public string SopClassUid { get; init; } = "";

    /// <summary>FrameOfReferenceUID (0020,0052), which a segmentation on this grid shares.</summary>
    public string FrameOfReferenceUid { get; init; } = "";

    /// <summary>
    /// Which frame of a multi-frame file this header places (0 = the first frame stored), its geometry and rescale
    /// taken from the file's functional groups; null for a single-frame file, and for a multi-frame file without
    /// per-frame functional groups (which a series refuses, not knowing where its frames lie).
    /// </summary>
    public int? Frame { get; init; }

    /// <summary>How messages name this slice: the file, and for a frame of a multi-frame file its frame number (from 1).</summary>
    public string Source => Frame is { } frame ? $"{File} (frame {frame + 1})" : File;
}
