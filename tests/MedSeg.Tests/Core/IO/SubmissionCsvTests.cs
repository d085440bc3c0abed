using MedSeg.Core;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

public class SubmissionCsvTests
{
    private static readonly SubmissionRow[] Rows =
    [
        new("case123_day20_slice_0001", "large_bowel", ""),
        new("case123_day20_slice_0001", "small_bowel", "12 3 40 5"),
        new("case123_day20_slice_0001", "stomach", ""),
        new("case123_day20_slice_0002", "large_bowel", "1 1"),
    ];

    [Fact]
    public void Writes_the_kaggle_format_exactly()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("submission.csv");
        SubmissionCsv.Write(path, Rows);

        Assert.Equal(
            "id,class,predicted\n" +
            "case123_day20_slice_0001,large_bowel,\n" +
            "case123_day20_slice_0001,small_bowel,12 3 40 5\n" +
            "case123_day20_slice_0001,stomach,\n" +
            "case123_day20_slice_0002,large_bowel,1 1\n",
            File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Round_trips()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("out", "submission.csv");
        SubmissionCsv.Write(path, Rows);

        Assert.Equal(Rows, SubmissionCsv.Read(path));
    }

    [Fact]
    public void Reads_quoted_fields()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("submission.csv");
        File.WriteAllText(path, "id,class,predicted\n\"case1_day0_slice_0001\",\"stomach\",\"1 2\"\ncase1_day0_slice_0001,small_bowel,\"\"\n");

        Assert.Equal(
            [new SubmissionRow("case1_day0_slice_0001", "stomach", "1 2"), new SubmissionRow("case1_day0_slice_0001", "small_bowel", "")],
            SubmissionCsv.Read(path));
    }

    [Fact]
    public void Wrong_header_is_reported_with_file_and_line()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("submission.csv");
        File.WriteAllText(path, "id,organ,predicted\ncase1_day0_slice_0001,stomach,\n");

        var error = Assert.Throws<MedSegException>(() => SubmissionCsv.Read(path));
        Assert.Contains($"{path} line 1", error.Message);
        Assert.Contains("id,class,predicted", error.Message);
    }

    [Fact]
    public void A_ground_truth_csv_reads_as_a_submission()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("train.csv");
        File.WriteAllText(path, "id,class,segmentation\ncase1_day0_slice_0001,stomach,1 4\n");

        var row = Assert.Single(SubmissionCsv.Read(path));
        Assert.Equal(("case1_day0_slice_0001", "stomach", "1 4"), (row.Id, row.ClassName, row.Rle));
    }

    [Fact]
    public void Wrong_column_count_is_reported_with_file_and_line()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("submission.csv");
        File.WriteAllText(path, "id,class,predicted\ncase1_day0_slice_0001,stomach,\ncase1_day0_slice_0002,stomach\n");

        var error = Assert.Throws<MedSegException>(() => SubmissionCsv.Read(path));
        Assert.Contains($"{path} line 3", error.Message);
        Assert.Contains("2 columns", error.Message);
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("submission.csv");
        File.WriteAllText(path, "");

        Assert.Contains(path, Assert.Throws<MedSegException>(() => SubmissionCsv.Read(path)).Message);
    }
}
