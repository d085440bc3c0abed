namespace MedSeg.Core.Synthetic;

/// <summary>
/// The random streams of a synthetic dataset, one per purpose and case-day, so that no two ever coincide and
/// what one draws never shifts another (e.g. adding slices changes no anatomy).
/// </summary>
internal static class SynthStreams
{
    public const int Plan = 1, Case = 2, Day = 3, Noise = 4, GaussianTable = 5, Geometry = 6, BrainTemplate = 7, BrainSubject = 8, BrainNoise = 9;

    /// <summary>The stream number for <paramref name="purpose"/>, case number and day index.</summary>
    public static long For(int purpose, int caseNumber = 0, int dayIndex = 0) =>
        ((long)purpose << 48) | ((long)caseNumber << 16) | (uint)dayIndex;
}
