namespace MedSeg.Core.Preprocessing;

/// <summary>Which maximum the <see cref="RoiCrop"/> threshold is a fraction of.</summary>
public enum RoiCropReference
{
    /// <summary>Each slice's own maximum: a dim slice keeps its body as much as a bright one.</summary>
    Slice,

    /// <summary>The maximum over the whole case-day: one threshold for the stack.</summary>
    CaseDay,
}
