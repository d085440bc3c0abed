namespace MedSeg.Core.Metrics;

/// <summary>The normalised distances (<see cref="UnitCubeDistance"/>) a UW-Madison metric measured on one case-day.</summary>
/// <param name="PerClass">One per class, in class order (NaN when skipped).</param>
/// <param name="Scored">The distances that enter the score's mean (NaN entries are skipped).</param>
internal sealed record CaseDayDistances(HausdorffResult[] PerClass, HausdorffResult[] Scored);
