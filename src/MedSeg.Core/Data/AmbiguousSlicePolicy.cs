namespace MedSeg.Core.Data;

/// <summary>
/// What happens to the ambiguous slices of a case-day (<c>ambiguous</c> key; see <see cref="AmbiguousSlices"/>):
/// annotators disagree most about where an organ starts and ends, so the empty slice next to an organ's first or last
/// annotated slice may well show some of it.
/// </summary>
public enum AmbiguousSlicePolicy
{
    /// <summary>Train on them like any slice (<c>keep</c>).</summary>
    Keep,

    /// <summary>Keep them as inputs but exclude them from the segmentation loss (<c>ignore</c>, the 8th-place recipe).</summary>
    Ignore,

    /// <summary>Remove them from the training samples (<c>drop</c>, the 1st-place recipe).</summary>
    Drop,
}
