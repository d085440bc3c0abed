using MedSeg.Core.Benchmarks;

namespace MedSeg.Tests.Core.Evaluation;

/// <summary>The benchmark's synthetic submission scored through the evaluate path (files) equals the in-memory score.</summary>
public class SubmissionFilesBenchmarkTests
{
    [Fact]
    public void Evaluate_path_scores_the_written_submission_as_the_metric_scores_it_in_memory()
    {
        var options = new MetricsBenchmarkOptions(Depth: 6, Height: 24, Width: 20, Repeats: 1, Slices: 15, Threads: 2, BaselineCaseDays: 1, Seed: 3);

        var results = MetricsBenchmark.Run(options).ToList();

        var inMemory = results.Single(r => (string)r["bench"] == "uwmgi" && (string)r["variant"] == "medseg" && (int)r["case_days"] == 3);
        var files = results.Single(r => (string)r["variant"] == "medseg_files");
        Assert.Equal(15, files["slices"]);
        Assert.Equal((double)inMemory["score_exact"], (double)files["score_exact"], 12);
        Assert.True((bool)files["same_as_in_memory"]);
    }
}
