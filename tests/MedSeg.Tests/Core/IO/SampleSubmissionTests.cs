using MedSeg.Core;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

public sealed class SampleSubmissionTests
{
    private static readonly SubmissionRow[] Predicted =
    [
        new("case1_day1_slice_0001", "stomach", "1 2"),
        new("case1_day1_slice_0001", "large_bowel", ""),
        new("case1_day1_slice_0002", "stomach", "5 1"),
        new("case1_day1_slice_0002", "large_bowel", "7 3"),
    ];

    [Fact]
    public void RowsFollowTheSampleAndUnlistedOnesAreLeftOut()
    {
        using var folder = new TempFolder();
        var sample = folder.Combine("sample_submission.csv");
        File.WriteAllText(sample, "id,class,predicted\ncase1_day1_slice_0002,large_bowel,\ncase1_day1_slice_0001,stomach,\ncase1_day1_slice_0002,stomach,\n");

        var (rows, leftOut) = SampleSubmission.Order(Predicted, sample);

        Assert.Equal([Predicted[3], Predicted[0], Predicted[2]], rows);
        Assert.Equal(1, leftOut);
    }

    [Fact]
    public void ASampleRowWithoutAPredictionIsAnErrorNamingTheRow()
    {
        using var folder = new TempFolder();
        var sample = folder.Combine("sample_submission.csv");
        File.WriteAllText(sample, "id,class,predicted\ncase1_day1_slice_0001,stomach,\ncase9_day1_slice_0001,stomach,\n");

        var error = Assert.Throws<MedSegException>(() => SampleSubmission.Order(Predicted, sample));

        Assert.Contains("row 2", error.Message);
        Assert.Contains("case9_day1_slice_0001", error.Message);
    }

    [Fact]
    public void ARepeatedSampleRowIsAnError()
    {
        using var folder = new TempFolder();
        var sample = folder.Combine("sample_submission.csv");
        File.WriteAllText(sample, "id,class,predicted\ncase1_day1_slice_0001,stomach,\ncase1_day1_slice_0001,stomach,\n");

        var error = Assert.Throws<MedSegException>(() => SampleSubmission.Order(Predicted, sample));

        Assert.Contains("repeats", error.Message);
    }
}
