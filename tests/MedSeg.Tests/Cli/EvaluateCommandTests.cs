using System.Text.Json;
using MedSeg.Cli;
using MedSeg.Tests.Core.Evaluation;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Cli;

/// <summary><c>medseg evaluate</c> end to end on the hand-computed submission, stdout and stderr captured.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _data;
    private readonly string _submission;

    public EvaluateCommandTests() => (_data, _submission) = HandSubmission.Write(_folder.Path);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Writes_table_json_and_a_self_contained_html_report()
    {
        string json = _folder.Combine("out", "eval.json"), html = _folder.Combine("out", "report.html");

        var (code, stdout, stderr) = Run("evaluate", "--pred", _submission, "--truth", _data, "--json", json, "--report", html);

        Assert.True(code == 0, stderr);
        Assert.Contains("all-empty submission", stdout);
        Assert.Contains("n/a", stdout); // class c is empty everywhere
        Assert.DoesNotContain("NaN", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(HandSubmission.UwMadisonScore, doc.RootElement.GetProperty("score").GetDouble(), 6);
        string page = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<img alt=\"case2_day1_slice_0001 a\" src=\"data:image/png;base64,", page);
        Assert.DoesNotContain("http://", page);
        Assert.DoesNotContain("https://", page);
        Assert.DoesNotContain("NaN", page);
        Assert.Empty(Directory.GetFiles(_folder.Combine("out"), "*.tmp"));
    }

    [Fact]
    public void Report_of_a_submission_has_specificity_assd_the_command_date_and_absolute_inputs()
    {
        string html = _folder.Combine("out", "report.html");
        string relativePred = Path.GetRelativePath(Environment.CurrentDirectory, _submission);
        Assert.False(Path.IsPathFullyQualified(relativePred));

        var (code, _, stderr) = Run("evaluate", "--pred", relativePred, "--truth", _data, "--report", html);

        Assert.True(code == 0, stderr);
        string page = File.ReadAllText(html);
        Assert.Contains("<th>specificity</th>", page);
        Assert.Contains("<th>ASSD (norm.)</th>", page);
        string footer = page[page.IndexOf("<footer>", StringComparison.Ordinal)..];
        Assert.Contains($"<code>medseg evaluate --pred {relativePred} --truth {_data} --report {html}</code>", footer);
        Assert.Contains($"its predictions: {_submission}", footer);
        Assert.DoesNotContain($"predictions {relativePred} ", page);
        Assert.Matches(@"<time datetime=""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"">", footer);
    }

    [Fact]
    public void Overlap_metric_with_explicit_aggregation_and_empty_policy()
    {
        var (code, stdout, stderr) = Run("evaluate", "--pred", _submission, "--truth", _data,
            "--metric", "dice", "--aggregate", "global", "--empty", "zero", "--json", "-");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal((4.0 / 7 + 0 + 0) / 3, doc.RootElement.GetProperty("score").GetDouble(), 6);
        Assert.Equal("global", doc.RootElement.GetProperty("aggregate").GetString());
        Assert.Equal("zero", doc.RootElement.GetProperty("empty").GetString());
        Assert.Equal("mm", doc.RootElement.GetProperty("hausdorff_unit").GetString());
    }

    [Fact]
    public void Label_maps_default_to_dice_per_case_and_report_in_mm()
    {
        var (dataset, predictions) = HandLabelMaps.Write(_folder.Combine("nifti"));
        string html = _folder.Combine("labels.html");

        var (code, stdout, stderr) = Run("evaluate", "--pred", predictions, "--truth", dataset, "--json", "-", "--report", html);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("dice", doc.RootElement.GetProperty("metric").GetString());
        Assert.Equal("volume", doc.RootElement.GetProperty("aggregate").GetString());
        Assert.Equal((2.0 / 3 + 0 + 0) / 3, doc.RootElement.GetProperty("score").GetDouble(), 6);
        Assert.Equal(2, doc.RootElement.GetProperty("per_case").EnumerateObject().Count());
        Assert.Contains("<img alt=\"case2 z 0 a\"", File.ReadAllText(html));
    }

    [Fact]
    public void Probabilities_add_precision_recall_to_table_json_and_report()
    {
        string probabilities = HandProbabilities.Write(_folder.Combine("probabilities"), "case1_day1", "case2_day1");
        string json = _folder.Combine("pr.json"), html = _folder.Combine("pr.html");

        var (code, stdout, stderr) = Run("evaluate", "--pred", _submission, "--truth", _data, "--probabilities", probabilities,
            "--json", json, "--report", html);

        Assert.True(code == 0, stderr);
        Assert.Contains("mean average precision 0.7917", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        foreach (string key in new[] { "metric", "score", "dice", "iou", "precision", "recall", "hausdorff", "hd95", "per_class", "per_case" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }
        Assert.Equal(HandProbabilities.AveragePrecision, root.GetProperty("average_precision").GetDouble(), 6);
        JsonElement pr = root.GetProperty("per_class").GetProperty("a").GetProperty("pr");
        Assert.Equal(HandProbabilities.AveragePrecision, pr.GetProperty("average_precision").GetDouble(), 6);
        Assert.Equal(HandProbabilities.BestThreshold, pr.GetProperty("best_threshold").GetDouble(), 6);
        Assert.Equal(HandProbabilities.BestF1, pr.GetProperty("best_f1").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("per_class").GetProperty("b").GetProperty("pr").GetProperty("average_precision").ValueKind);
        string page = File.ReadAllText(html);
        Assert.Contains("<img alt=\"precision–recall curves\" src=\"data:image/png;base64,iVBORw0KGgo", page);
    }

    [Fact]
    public void Missing_probability_map_is_one_sentence_naming_the_file_and_writes_nothing()
    {
        string probabilities = HandProbabilities.Write(_folder.Combine("probabilities"), "case1_day1", "case2_day1");
        string missing = Path.Combine(probabilities, "case1_day1.npy");
        File.Delete(missing);
        string json = _folder.Combine("pr.json"), html = _folder.Combine("pr.html");

        var (code, stdout, stderr) = Run("evaluate", "--pred", _submission, "--truth", _data, "--probabilities", probabilities,
            "--json", json, "--report", html);

        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(missing, stderr);
        Assert.False(File.Exists(json));
        Assert.False(File.Exists(html));
    }

    [Theory]
    [InlineData("--aggregate", "--metric", "uwmgi", "--aggregate", "slice")]
    [InlineData("--empty", "--metric", "dice", "--empty", "maybe")]
    [InlineData("--metric", "--metric", "hd")]
    public void Bad_options_are_one_sentence_naming_the_option(string named, params string[] options)
    {
        string json = _folder.Combine("bad.json");

        var (code, stdout, stderr) = Run(["evaluate", "--pred", _submission, "--truth", _data, "--json", json, .. options]);

        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(named, stderr);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Missing_submission_names_the_file()
    {
        string missing = _folder.Combine("nope.csv");

        var (code, _, stderr) = Run("evaluate", "--pred", missing, "--truth", _data);

        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains(missing, stderr);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);
}
