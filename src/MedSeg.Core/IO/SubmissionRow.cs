namespace MedSeg.Core.IO;

/// <summary>
/// One row of a Kaggle UW-Madison submission: slice id (<c>caseN_dayM_slice_XXXX</c>), class name, and the
/// predicted mask as RLE ("" for an empty mask).
/// </summary>
public sealed record SubmissionRow(string Id, string ClassName, string Rle);
