using System.Text.RegularExpressions;
using MedSeg.Core;
using MedSeg.Core.Reports;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Reports;

namespace MedSeg.Tests.Torch.Reports;

public sealed class RunReportBuilderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_report_scores_the_out_of_fold_masks_per_class_and_shows_the_missed_class_as_worst()
    {
        (string run, string data, string caseDay) = HandRun.Write(folder.Path);

        RunReport report = RunReportBuilder.Build(run, data);

        Assert.Equal([1, 2], report.Epochs.Select(e => e.Epoch));
        Assert.Equal(11.5, report.Epochs[1].Seconds);
        var validation = Assert.IsType<MedSeg.Core.Evaluation.EvaluationReport>(report.Validation);
        Assert.Equal([caseDay], validation.PerCase.Keys);
        Assert.Equal(1, validation.PerClass["stomach"].Dice, 12);
        Assert.Equal(1, validation.PerClass["large_bowel"].Dice, 12);
        Assert.Equal(0, validation.PerClass["small_bowel"].Dice, 12); // predicted nowhere, true on some slices
        Assert.NotEmpty(report.WorstSlices);
        Assert.Equal(("small_bowel", 0.0), (report.WorstSlices[0].ClassName, report.WorstSlices[0].Dice)); // worst first
        Assert.All(report.WorstSlices, w => Assert.Equal(w.ClassName == "small_bowel" ? 0.0 : 1.0, w.Dice));
        Assert.Contains(report.Settings, s => s.Key == "mode" && s.Value == "2d");

        string html = RunReportHtml.Render(report);
        Assert.Equal(4 + report.WorstSlices.Count + report.WorstSlices.Count(w => w.Crop is not null),
            Regex.Matches(html, "src=\"data:image/png;base64,").Count); // four charts and the worst slices
        Assert.Contains("best score (epoch 2)", html);
        Assert.Contains("Validation per class", html);
        Assert.Equal(2, Regex.Matches(html, "<tr class=\"best\">").Count);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Without_data_the_report_says_what_to_give_and_a_broken_log_is_named()
    {
        (string run, _, _) = HandRun.Write(folder.Path);

        RunReport report = RunReportBuilder.Build(run);

        Assert.Null(report.Validation);
        Assert.Contains(report.Notes, n => n.Contains("--data DATA", StringComparison.Ordinal));
        File.AppendAllText(Path.Combine(run, "log.jsonl"), "{not json\n");
        var error = Assert.Throws<MedSegException>(() => RunReportBuilder.Build(run));
        Assert.Contains("log.jsonl line 3", error.Message);
        var missing = Assert.Throws<MedSegException>(() => RunReportBuilder.Build(folder.Combine("nothing")));
        Assert.Contains("does not exist", missing.Message);
    }
}
