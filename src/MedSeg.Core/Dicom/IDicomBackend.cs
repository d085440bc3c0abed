using MedSeg.Core.Volumes;

namespace MedSeg.Core.Dicom;

/// <summary>
/// What MedSeg needs from a DICOM library: the placement tags of image files, their decoded pixels, and writing a
/// segmentation object. Implemented by MedSeg.Dicom on GDCM; found at run time (<see cref="DicomBackend"/>), so
/// nothing else depends on the library.
/// </summary>
public interface IDicomBackend
{
    /// <summary>The library and its version, e.g. "GDCM 3.0.21".</summary>
    string Name { get; }

    /// <summary>
    /// The placement tags of every DICOM image among <paramref name="files"/>, one header per frame for a
    /// multi-frame (enhanced) file with per-frame functional groups; files that are not DICOM images (DICOMDIR,
    /// structured reports, segmentations, other files) are left out.
    /// </summary>
    IReadOnlyList<DicomSliceHeader> ReadHeaders(IReadOnlyList<string> files);

    /// <summary>
    /// Decodes the image of one file once (any transfer syntax the library decodes) and writes each of
    /// <paramref name="slices"/> — that file's headers from <see cref="ReadHeaders"/>: the file itself, or frames of
    /// a multi-frame file — into the matching <paramref name="destinations"/> (rows × columns, row after row) as
    /// stored values × slope + intercept.
    /// </summary>
    /// <exception cref="MedSegException">The file cannot be decoded or is not a one-sample (grayscale) image; the message names it.</exception>
    void ReadPixels(IReadOnlyList<DicomSliceHeader> slices, IReadOnlyList<Memory<float>> destinations);

    /// <summary>The patient tags of <paramref name="file"/>: <c>name</c> (0010,0010), <c>id</c> (0010,0020), <c>birth_date</c> (0010,0030), empty when absent.</summary>
    IReadOnlyDictionary<string, string> ReadPatient(string file);

    /// <summary>
    /// Writes <paramref name="labels"/> (on <paramref name="series"/>' grid) to the new file <paramref name="path"/>
    /// as a binary DICOM Segmentation: one segment per class that <paramref name="classes"/> names, frames referencing
    /// the source images.
    /// </summary>
    void WriteSegmentation(string path, DicomSeries series, Volume<ushort> labels, IReadOnlyList<string> classes);
}
