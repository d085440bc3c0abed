using MedSeg.Core.Data;

namespace MedSeg.Torch.Data;

/// <summary>One target slice: the case-day it belongs to and its position in the case-day's slice order.</summary>
public readonly record struct SliceRef(UwCaseDay CaseDay, int Index);
