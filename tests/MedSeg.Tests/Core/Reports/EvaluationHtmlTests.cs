using System.Text.RegularExpressions;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Reports;

namespace MedSeg.Tests.Core.Reports;

public class EvaluationHtmlTests
{
    private static readonly EvaluationFigures Some = new(0.8, 0.7, 0.6, 0.75, 0.65, 0.7, 0.99, 4.5, 3.25, 1.5);
    private static readonly EvaluationSource Source = new("/data/run 1/pred.csv", "/data/uwmgi", "medseg evaluate --pred 'run 1/pred.csv' --truth uwmgi",
        new DateTimeOffset(2025, 5, 4, 15, 7, 9, TimeSpan.FromHours(2)));
    private static readonly EvaluationFigures Undefined = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
        double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    [Fact]
    public void Page_is_self_contained_with_tables_curves_and_worst_cases()
    {
        var report = new EvaluationReport("dice", OverlapAggregation.Volume, EmptyPolicy.Skip, EvaluationReport.MillimetreUnit, Some,
            new Dictionary<string, EvaluationFigures> { ["liver"] = Some, ["<tumour>"] = Undefined },
            new Dictionary<string, EvaluationCase>
            {
                ["case_b"] = new(Some, new Dictionary<string, EvaluationFigures> { ["liver"] = Some }),
                ["case_a"] = new(Some with { Score = 0.2 }, new Dictionary<string, EvaluationFigures> { ["liver"] = Some }),
            },
            0, "case", 12);
        var metric = new PrecisionRecallMetric(["liver", "<tumour>"], bins: 11);
        metric.Update([[0.9f, 0.2f], [0.4f, 0.6f]], [[1, 0], [0, 1]]);
        byte[] png = [0x89, 0x50, 0x4E, 0x47];
        WorstSlice[] worst = [new("case_a", "case_a z 3", "liver", 0, 0.125, 40, 12, png, null)];

        string html = EvaluationHtml.Render(report with { PrecisionRecall = metric.Compute() }, worst, Source);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(2, Regex.Matches(html, "src=\"data:image/png;base64,").Count); // the curves and one worst case
        Assert.Contains("Precision–recall", html);
        Assert.Contains("&lt;tumour&gt;", html);
        Assert.DoesNotContain("<tumour>", html);
        Assert.Contains("<td class=\"na\">n/a</td>", html);
        Assert.DoesNotContain("NaN", html);
        Assert.Contains("ASSD (mm)", html);
        Assert.Contains("specificity", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http", html);
        // Per-case rows run from the lowest score up.
        Assert.True(html.IndexOf("<td>case_a</td>", StringComparison.Ordinal) < html.IndexOf("<td>case_b</td>", StringComparison.Ordinal));
        Assert.Contains("Dice <b>0.1250</b> · truth 40 px · predicted 12 px", html);
    }

    [Fact]
    public void Without_curves_or_images_those_sections_are_left_out()
    {
        var report = new EvaluationReport("uwmgi", null, null, EvaluationReport.NormalisedUnit, Some with { Specificity = double.NaN, Assd = double.NaN },
            new Dictionary<string, EvaluationFigures> { ["stomach"] = Some with { Specificity = double.NaN, Assd = double.NaN } },
            new Dictionary<string, EvaluationCase>(), 0.1, "case-day", 0);

        string html = EvaluationHtml.Render(report, []);

        Assert.DoesNotContain("Precision–recall", html);
        Assert.DoesNotContain("Worst cases", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("specificity", html);
        Assert.Contains("HD (norm.)", html);
    }

    [Fact]
    public void Footer_holds_the_command_the_date_in_utc_and_the_absolute_inputs()
    {
        string html = EvaluationHtml.Render(OneClassReport(), [], Source);

        string footer = html[html.IndexOf("<footer>", StringComparison.Ordinal)..];
        Assert.Contains("<code>medseg evaluate --pred &#39;run 1/pred.csv&#39; --truth uwmgi</code>", footer);
        Assert.Contains("<time datetime=\"2025-05-04T13:07:09Z\">2025-05-04T13:07:09Z</time>", footer);
        Assert.Contains("its predictions: /data/run 1/pred.csv", footer);
        Assert.Contains("Truth: /data/uwmgi", footer);
        Assert.Contains("<p>predictions /data/run 1/pred.csv · truth /data/uwmgi</p>", html); // under the title
    }

    [Fact]
    public void Source_makes_paths_absolute_and_quotes_arguments_for_a_shell()
    {
        EvaluationSource source = EvaluationSource.Now("pred.csv", "data", ["evaluate", "--pred", "pred.csv", "--report", "my report.html", "--json", "it's.json"]);

        Assert.Equal(Path.GetFullPath("pred.csv"), source.Predictions);
        Assert.True(Path.IsPathFullyQualified(source.Truth));
        Assert.Equal("medseg evaluate --pred pred.csv --report 'my report.html' --json 'it'\\''s.json'", source.CommandLine);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", source.WrittenUtc);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - source.Written).TotalMinutes) < 5);
    }

    [Fact]
    public void Every_table_sits_in_a_container_that_scrolls_sideways_and_keeps_its_columns()
    {
        var metric = new PrecisionRecallMetric(["stomach"], bins: 11);
        metric.Update([[0.9f, 0.2f]], [[1, 0]]);

        string html = EvaluationHtml.Render(OneClassReport() with { PrecisionRecall = metric.Compute() }, []);

        int tables = Regex.Matches(html, "<table>").Count;
        Assert.Equal(3, tables); // per class, precision–recall, per case-day
        Assert.Equal(tables, Regex.Matches(html, "<div class=\"table-wrap\"[^>]*><table>").Count);
        string wrapRule = Regex.Match(html, @"\.table-wrap \{[^}]*\}").Value;
        Assert.Contains("overflow-x: auto", wrapRule);
        Assert.Contains("max-width: 100%", wrapRule);
        string tableRule = Regex.Match(html, @"\btable \{[^}]*\}").Value;
        Assert.Contains("width: max-content", tableRule); // columns keep their width rather than being squeezed
    }

    [Fact]
    public void Worst_cases_have_a_legend_class_colours_and_the_enlarged_view()
    {
        byte[] slice = [1, 2, 3], enlarged = [4, 5, 6];
        WorstSlice[] worst =
        [
            new("case1_day1", "case1_day1_slice_0004", "small_bowel", 1, 0.25, 9, 7, slice, new ConfusionCrop(enlarged, 10, 20, 14, 16, 18)),
            new("case1_day1", "case1_day1_slice_0005", "stomach", 0, 0.5, 900, 700, slice, null),
        ];

        string html = EvaluationHtml.Render(OneClassReport(), worst);

        Assert.Contains("<span class=\"key tp\" style=\"--c:#e62828\"></span>stomach", html); // 230 40 40
        Assert.Contains("<span class=\"key tp\" style=\"--c:#28d23c\"></span>small_bowel", html); // 40 210 60
        Assert.Contains("<span class=\"key tp\"></span>true positive", html);
        Assert.Contains("<span class=\"key fp\"></span>false positive: predicted only", html);
        Assert.Contains("<span class=\"key fn\"></span>false negative: missed", html);
        Assert.Contains(".key.fp { background: repeating-linear-gradient(", html);
        Assert.Contains($"<img class=\"crop\" alt=\"case1_day1_slice_0004 small_bowel enlarged\" src=\"data:image/png;base64,{Convert.ToBase64String(enlarged)}\">", html);
        Assert.Contains("enlarged ×18: rows 10–23, columns 20–35", html);
        Assert.Single(Regex.Matches(html, "<img class=\"crop\""));
        Assert.Equal(3, Regex.Matches(html, "src=\"data:image/png;base64,").Count);
    }

    private static EvaluationReport OneClassReport() => new("uwmgi", null, null, EvaluationReport.NormalisedUnit, Some,
        new Dictionary<string, EvaluationFigures> { ["stomach"] = Some },
        new Dictionary<string, EvaluationCase> { ["case1_day1"] = new(Some, new Dictionary<string, EvaluationFigures> { ["stomach"] = Some }) },
        0, "case-day", 8);
}
