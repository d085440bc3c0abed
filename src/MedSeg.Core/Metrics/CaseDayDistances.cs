namespace MedSeg.Core.Metrics;

/// <summary>The normalised distances a UW-Madison metric measured on one case-day.</summary>
/// <param name="PerClass">One per class, in class order (NaN when skipped).</param>
/// <param name="Scored">The distances that enter the score's mean (NaN entries are skipped).</param>
internal sealed record CaseDayDistances(UnitCubeDistance[] PerClass, UnitCubeDistance[] Scored);
