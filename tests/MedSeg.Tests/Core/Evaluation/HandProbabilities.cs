using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.Evaluation;

/// <summary>
/// Probability maps for the two case-days of <see cref="HandSubmission"/> (and the two cases of
/// <see cref="HandLabelMaps"/>, the same voxels), each 3 classes × 2 slices × 4 × 4, float16. Every value is a
/// multiple of 1/8, exact in float16 and on the 1001-threshold grid. Voxels are (slice, row, column); unlisted
/// voxels are 0.
/// </summary>
/// <remarks>
/// Class a, whose truth is {(0,0,1), (0,0,2), (1,1,1)} in case 1 and {(0,2,2)} in case 2:
/// case 1: 0.875 at (0,0,1), 0.625 at (0,0,2) and (1,1,1), 0.25 at (1,3,3) (a negative);
/// case 2: 0.25 at (0,2,2), 0.75 at (1,0,0) (a negative). So 4 positives, 60 negatives, and from the highest
/// threshold down: p ≥ 0.875 TP 1 FP 0 (P 1, R 1/4); p ≥ 0.75 TP 1 FP 1 (P 1/2, R 1/4); p ≥ 0.625 TP 3 FP 1
/// (P 3/4, R 3/4); p ≥ 0.25 TP 4 FP 2 (P 2/3, R 1); p ≥ 0 TP 4 FP 60.
/// AP = 1/4·1 + 0·1/2 + 1/2·3/4 + 1/4·2/3 = 19/24; F1 is 0.4, 1/3, 0.75, 0.8, 4/34, so the best is 0.8 at 0.25.
/// Only pooling both case-days gives these figures (case 2 alone has AP 1/2).
/// Class b has no true voxel (0.5 at (1,3,3) of case 1); class c is 0 everywhere.
/// </remarks>
internal static class HandProbabilities
{
    public const double AveragePrecision = 19.0 / 24;
    public const double BestThreshold = 0.25;
    public const double BestF1 = 0.8;

    /// <summary>Writes the maps as <paramref name="folder"/>/<paramref name="case1"/>.npy and …/<paramref name="case2"/>.npy.</summary>
    public static string Write(string folder, string case1, string case2)
    {
        Directory.CreateDirectory(folder);
        ProbabilityMaps.Write(folder, case1, Maps((0, 0, 0, 1, 0.875f), (0, 0, 0, 2, 0.625f), (0, 1, 1, 1, 0.625f), (0, 1, 3, 3, 0.25f), (1, 1, 3, 3, 0.5f)), 2, 4, 4);
        ProbabilityMaps.Write(folder, case2, Maps((0, 0, 2, 2, 0.25f), (0, 1, 0, 0, 0.75f)), 2, 4, 4);
        return folder;
    }

    /// <summary>Maps of <paramref name="classes"/> × <paramref name="slices"/> × 4 × 4 with the given (class, slice, row, column, p) set.</summary>
    public static float[][] Maps(params (int Class, int Slice, int Row, int Column, float P)[] voxels) => Maps(3, 2, voxels);

    /// <inheritdoc cref="Maps(ValueTuple{int, int, int, int, float}[])"/>
    public static float[][] Maps(int classes, int slices, params (int Class, int Slice, int Row, int Column, float P)[] voxels)
    {
        var maps = Enumerable.Range(0, classes).Select(_ => new float[slices * 16]).ToArray();
        foreach (var (c, slice, row, column, p) in voxels)
        {
            maps[c][slice * 16 + row * 4 + column] = p;
        }
        return maps;
    }
}
