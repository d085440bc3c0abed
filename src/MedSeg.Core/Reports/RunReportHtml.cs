using System.Globalization;
using System.Text;
using MedSeg.Core.Evaluation;

namespace MedSeg.Core.Reports;

/// <summary>
/// Writes a training run's report as one self-contained HTML page in the look of every MedSeg page: headline cards,
/// the curves (loss, validation, learning rate, time per epoch), validation per class and the worst validation
/// slices (as <see cref="EvaluationHtml"/> draws them), the epoch table and the resolved configuration.
/// </summary>
public static class RunReportHtml
{
    private const string ExtraCss = """
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(460px, 100%), 1fr)); gap: 14px; }
        .charts img { width: 100%; border-radius: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); background: #fff; }
        tr.best td { background: #eef8ee; }
        """;

    /// <summary>The page as HTML text.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        HtmlParts.Begin(html, $"MedSeg training run · {Path.GetFileName(Path.TrimEndingDirectorySeparator(report.RunPath))}", report.Lines, ExtraCss);
        html.Append("<main>\n");
        Cards(html, report.Epochs);
        html.Append("<section>\n<h2>Curves</h2>\n<div class=\"charts\">\n");
        foreach ((string alt, byte[] png) in new[]
        {
            ("training loss", RunCharts.Loss(report.Epochs)), ("validation", RunCharts.Validation(report.Epochs)),
            ("learning rate", RunCharts.LearningRate(report.Epochs)), ("time per epoch", RunCharts.Time(report.Epochs)),
        })
        {
            html.Append(CultureInfo.InvariantCulture, $"<img alt=\"{alt}\" src=\"{HtmlParts.DataUri(png)}\">\n");
        }
        html.Append("</div>\n</section>\n");
        if (report.Validation is EvaluationReport validation)
        {
            html.Append("<section>\n<h2>Validation per class</h2>\n")
                .Append(CultureInfo.InvariantCulture,
                    $"<p class=\"note\">The best model's out-of-fold probabilities on {validation.PerCase.Count} held-out {HtmlParts.Encode(validation.CaseKind)}s ({validation.Slices} slices), scored with {HtmlParts.Encode(validation.Metric)}.</p>\n");
            EvaluationHtml.FiguresTable(html, "class", EvaluationHtml.Columns.For(validation),
                [("all classes", validation.Overall, true), .. validation.PerClass.Select(p => (p.Key, p.Value, false))]);
            html.Append("</section>\n");
        }
        if (report.WorstSlices.Count > 0)
        {
            EvaluationHtml.Gallery(html, report.WorstSlices);
        }
        Epochs(html, report.Epochs);
        html.Append("<section>\n<h2>Configuration</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>setting</th><th>value</th></tr></thead>\n<tbody>\n");
        foreach ((string key, string value) in report.Settings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlParts.Encode(key)}</td><td style=\"text-align:left\">{HtmlParts.Encode(value)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</section>\n</main>\n");
        HtmlParts.End(html, [
            $"Run: <code>{HtmlParts.Encode(Path.GetFullPath(report.RunPath))}</code>",
            .. report.Notes.Select(HtmlParts.Encode),
        ]);
        return html.ToString();
    }

    /// <summary>Renders as <see cref="Render"/> does and writes the file through a temporary file then a rename.</summary>
    public static void Write(string path, RunReport report) => AtomicFile.WriteAllText(path, Render(report));

    private static void Cards(StringBuilder html, IReadOnlyList<TrainingEpoch> epochs)
    {
        TrainingEpoch? best = epochs.LastOrDefault(e => e.Best);
        double seconds = epochs.Sum(e => e.Seconds);
        long samples = epochs.Sum(e => (long)e.Samples);
        html.Append("<div class=\"cards\">\n");
        HtmlParts.Card(html, best is null ? "best score" : $"best score (epoch {best.Epoch})", Number(best?.ValScore ?? double.NaN), main: true, id: "best-score");
        HtmlParts.Card(html, "best Dice", Number(best?.ValDice ?? double.NaN));
        HtmlParts.Card(html, "epochs", epochs.Count.ToString(CultureInfo.InvariantCulture), id: "epochs");
        HtmlParts.Card(html, "training time", Duration(seconds));
        HtmlParts.Card(html, "s per epoch", epochs.Count == 0 ? EvaluationReport.Undefined : (seconds / epochs.Count).ToString("F1", CultureInfo.InvariantCulture));
        HtmlParts.Card(html, "ms per example", samples == 0 ? EvaluationReport.Undefined
            : (1000 * epochs.Sum(e => e.TrainSeconds) / samples).ToString("F1", CultureInfo.InvariantCulture));
        html.Append("</div>\n");
    }

    private static void Epochs(StringBuilder html, IReadOnlyList<TrainingEpoch> epochs)
    {
        html.Append("<section>\n<h2>Epochs</h2>\n<p class=\"note\">Green: the epoch's model became the best so far.</p>\n")
            .Append("<div class=\"table-wrap\"><table id=\"epochs-table\">\n<thead><tr><th>epoch</th><th>train loss</th><th>learning rate</th><th>val score</th>")
            .Append("<th>val Dice</th><th>val HD</th><th>s</th><th>training s</th><th>examples</th></tr></thead>\n<tbody>\n");
        foreach (TrainingEpoch e in epochs)
        {
            html.Append(e.Best ? "<tr class=\"best\">" : "<tr>")
                .Append(CultureInfo.InvariantCulture,
                    $"<td>{e.Epoch}</td><td>{Number(e.TrainLoss)}</td><td>{e.Lr:G4}</td><td>{Number(e.ValScore)}</td><td>{Number(e.ValDice)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Number(e.ValHausdorff)}</td><td>{e.Seconds:F1}</td><td>{e.TrainSeconds:F1}</td><td>{e.Samples}</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static string Number(double value) => EvaluationReport.Format(value);

    private static string Duration(double seconds) => seconds >= 3600
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60)} s");
}
