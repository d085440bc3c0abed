namespace MedSeg.Core.Synthetic;

/// <summary>
/// What a synthetic dataset holds: number of cases, case-days and slices, and per class (in
/// <paramref name="Classes"/> order) the number of slices where that class is present.
/// </summary>
public sealed record SynthSummary(int Cases, int CaseDays, int Slices, IReadOnlyList<string> Classes, IReadOnlyList<int> Positives);
