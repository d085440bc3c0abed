namespace MedSeg.Core.Data;

/// <summary>
/// One training sample chosen by <see cref="SliceSelection"/>: slice <paramref name="Index"/> of
/// <paramref name="CaseDay"/>, and the classes for which it is ambiguous (one flag per class) when the policy is
/// <see cref="AmbiguousSlicePolicy.Ignore"/> (all false otherwise).
/// </summary>
public sealed record SelectedSlice(UwCaseDay CaseDay, int Index, IReadOnlyList<bool> IgnoredClasses)
{
    /// <summary>
    /// Whether the sample is excluded from the segmentation loss. The loss takes a whole-slice ignore mask (one value
    /// per sample, see SegmentationLoss), so a slice ambiguous for any class is excluded for all of them.
    /// </summary>
    public bool IgnoreInLoss => IgnoredClasses.Contains(true);
}
