namespace MedSeg.Core.Metrics;

/// <summary>What a UW-Madison accumulator keeps of one case-day.</summary>
/// <param name="Id">Case-day identifier.</param>
/// <param name="Overlap">Per class, running means of the (slice, class) overlap scores.</param>
/// <param name="Distances">Normalised distances per class and for the score.</param>
internal sealed record UwMadisonCase(string Id, OverlapMeans[] Overlap, CaseDayDistances Distances);
