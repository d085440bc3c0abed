namespace MedSeg.Core.Evaluation;

/// <summary>
/// One of the worst-scoring (slice, class) pairs of an evaluation, rendered for a person to look at.
/// </summary>
/// <param name="CaseId">The case (case-day) the slice belongs to.</param>
/// <param name="SliceId">The slice (e.g. <c>case123_day20_slice_0067</c>).</param>
/// <param name="ClassName">The class.</param>
/// <param name="Dice">Dice of the pair (NaN never: both-empty pairs are not chosen).</param>
/// <param name="TruePixels">Pixels of the true mask.</param>
/// <param name="PredictedPixels">Pixels of the predicted mask.</param>
/// <param name="Png">The slice with the truth outlined in green and the prediction in magenta (8-bit RGB PNG).</param>
public sealed record WorstSlice(string CaseId, string SliceId, string ClassName, double Dice, long TruePixels, long PredictedPixels, byte[] Png);
