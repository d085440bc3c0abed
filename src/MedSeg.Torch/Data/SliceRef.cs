using MedSeg.Core.Data;

namespace MedSeg.Torch.Data;

/// <summary>
/// One target slice: the case-day it belongs to, its position in the case-day's slice order, and whether the
/// segmentation loss skips it (an ambiguous slice under <see cref="AmbiguousSlicePolicy.Ignore"/>).
/// </summary>
public readonly record struct SliceRef(UwCaseDay CaseDay, int Index, bool IgnoreInLoss = false)
{
    /// <summary>The sample a <see cref="SliceSelection"/> chose.</summary>
    public static SliceRef Of(SelectedSlice selected) => new(selected.CaseDay, selected.Index, selected.IgnoreInLoss);
}
