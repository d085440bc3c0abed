using System.Text.RegularExpressions;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Metrics;
using MedSeg.Core.Reports;

namespace MedSeg.Tests.Core.Reports;

public class EvaluationHtmlTests
{
    private static readonly EvaluationFigures Some = new(0.8, 0.7, 0.6, 0.75, 0.65, 0.7, 0.99, 4.5, 3.25, 1.5);
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
        WorstSlice[] worst = [new("case_a", "case_a z 3", "liver", 0.125, 40, 12, png)];

        string html = EvaluationHtml.Render(report with { PrecisionRecall = metric.Compute() }, worst, "predictions p · truth t");

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
}
