namespace MedSeg.Core.Inspection;

/// <summary>
/// One volume (UW-Madison case-day, nnU-Net case) or image (folder layout) as <c>medseg inspect</c> found it.
/// <see cref="Shape"/> is as stored: slices×H×W for UW-Madison, X×Y×Z for NIfTI, H×W (×3 for RGB) for folder
/// images; <see cref="Spacing"/> is in mm in the same order, or null where the files carry none (folder images).
/// <see cref="Min"/> and <see cref="Max"/> are over all image values (all channels).
/// </summary>
public sealed record InspectedItem(string Id, IReadOnlyList<int> Shape, IReadOnlyList<double>? Spacing, double Min, double Max)
{
    /// <summary>Image channels (nnU-Net channels, 3 for an RGB image, else 1).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>"train" for labelled items, "test" for unlabelled ones.</summary>
    public string Split { get; init; } = "train";

    /// <summary>Orientation codes of the voxel axes (e.g. "LPS") for NIfTI volumes, else null.</summary>
    public string? Orientation { get; init; }

    /// <summary>DICOM Modality of a series (e.g. CT), else null.</summary>
    public string? Modality { get; init; }

    /// <summary>
    /// A DICOM series' patient tags (name, id, birth_date), only when asked for (<c>inspect --show-patient</c>);
    /// null otherwise, so nothing identifying is printed by default.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Patient { get; init; }
}
