using MedSeg.Tests.Core.Data;

namespace MedSeg.Tests.Core.Evaluation;

/// <summary>
/// A tiny UW-Madison folder and submission on disk whose scores are worked out by hand: two case-days of two
/// 4×4 slices (1.5 mm pixels, 3 mm slices) and classes a, b and c (c empty everywhere). Voxels are
/// (slice index, row, column); RLE starts are 1-based row-major pixel indices.
/// </summary>
/// <remarks>
/// case1_day1  a: pred {(0,0,0), (0,0,1), (1,1,1)}, truth {(0,0,1), (0,0,2), (1,1,1)};  b: pred {(1,3,3)}, truth none.
/// case2_day1  a: pred none, truth {(0,2,2)}.
/// These are the case-days of <c>UwMadisonScoreTests</c>, so the uwmgi figures are the ones worked out there.
/// </remarks>
internal static class HandSubmission
{
    /// <summary>Score of the uwmgi preset: Dice 0.375, HD (√(1/6) + 1) / 2.</summary>
    public static readonly double UwMadisonScore = 0.4 * 0.375 + 0.6 * (1 - (Math.Sqrt(1.0 / 6) + 1) / 2);

    /// <summary>Writes the dataset to <paramref name="root"/>/data and the submission to <paramref name="root"/>/sub.csv.</summary>
    public static (string Data, string Submission) Write(string root)
    {
        string data = Path.Combine(root, "data");
        foreach ((int caseNumber, int slice) in new[] { (1, 1), (1, 2), (2, 1), (2, 2) })
        {
            UwFolderBuilder.AddImage(data, caseNumber, 1, slice, height: 4, width: 4, offset: 100 * slice);
        }
        UwFolderBuilder.WriteCsv(data,
            "id,class,segmentation",
            "case1_day1_slice_0001,a,2 2", "case1_day1_slice_0001,b,", "case1_day1_slice_0001,c,",
            "case1_day1_slice_0002,a,6 1", "case1_day1_slice_0002,b,", "case1_day1_slice_0002,c,",
            "case2_day1_slice_0001,a,11 1", "case2_day1_slice_0001,b,", "case2_day1_slice_0001,c,",
            "case2_day1_slice_0002,a,", "case2_day1_slice_0002,b,", "case2_day1_slice_0002,c,");
        string submission = Path.Combine(root, "sub.csv");
        File.WriteAllText(submission, string.Join("\n",
            "id,class,predicted",
            "case1_day1_slice_0001,a,1 2", "case1_day1_slice_0001,b,", "case1_day1_slice_0001,c,",
            "case1_day1_slice_0002,a,6 1", "case1_day1_slice_0002,b,16 1", "case1_day1_slice_0002,c,",
            "case2_day1_slice_0001,a,", "case2_day1_slice_0001,b,", "case2_day1_slice_0001,c,",
            "case2_day1_slice_0002,a,", "case2_day1_slice_0002,b,", "case2_day1_slice_0002,c,") + "\n");
        return (data, submission);
    }
}
