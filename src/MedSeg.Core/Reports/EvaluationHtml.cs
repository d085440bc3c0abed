using System.Globalization;
using System.Text;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Reports;

/// <summary>
/// Writes an evaluation as one self-contained HTML file (inline CSS, images as base64 data URIs, no scripts, no
/// external requests): headline figures, the per-class table, precision–recall curves when the report has them, the worst
/// (slice, class) pairs drawn over their images, and the per-case table from the lowest score up.
/// </summary>
public static class EvaluationHtml
{
    /// <summary>Renders the report as HTML text.</summary>
    /// <param name="report">The evaluation.</param>
    /// <param name="worstSlices">Worst (slice, class) pairs to show as images, worst first (may be empty).</param>
    /// <param name="source">What was evaluated against what and by which command: the paths under the title, the command,
    /// date and paths in the footer; null leaves them out.</param>
    public static string Render(EvaluationReport report, IReadOnlyList<WorstSlice> worstSlices, EvaluationSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(worstSlices);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>MedSeg evaluation · {Encode(report.Metric)}</title>\n")
            .Append("<style>\n").Append(ReportStyle.Css).Append("</style>\n</head>\n<body>\n");
        Header(html, report, source);
        html.Append("<main>\n");
        Cards(html, report);
        Columns columns = Columns.For(report);
        html.Append("<section>\n<h2>Per class</h2>\n");
        FiguresTable(html, "class", columns,
            [("all classes", report.Overall, true), .. report.PerClass.Select(p => (p.Key, p.Value, false))]);
        html.Append("</section>\n");
        if (report.PrecisionRecall is not null)
        {
            PrecisionRecallSection(html, report.PrecisionRecall);
        }
        if (worstSlices.Count > 0)
        {
            Gallery(html, worstSlices);
        }
        html.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>Per {Encode(report.CaseKind)}</h2>\n")
            .Append("<p class=\"note\">From the lowest score up; the bar under a ratio shows its value on 0–1.</p>\n");
        FiguresTable(html, report.CaseKind, columns, report.LowestScoringCases(report.PerCase.Count)
            .Select(id => (id, report.PerCase[id].Overall, false))
            .ToArray());
        html.Append("</section>\n</main>\n");
        Footer(html, source);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders as <see cref="Render"/> does and writes the file through a temporary file then a rename.</summary>
    public static void Write(string path, EvaluationReport report, IReadOnlyList<WorstSlice> worstSlices, EvaluationSource? source = null) =>
        AtomicFile.WriteAllText(path, Render(report, worstSlices, source));

    private static void Header(StringBuilder html, EvaluationReport report, EvaluationSource? source)
    {
        string how = report.Aggregation is null
            ? "Dice per (slice, class), both-empty pairs skipped"
            : $"overlap per {report.Aggregation.Value.ToString().ToLowerInvariant()}, both-empty {EmptyText(report.Empty ?? EmptyPolicy.Skip)}";
        string distances = report.DistanceUnit == EvaluationReport.MillimetreUnit
            ? "surface distances in mm"
            : "distances normalised to the unit cube (0 best, 1 worst)";
        html.Append("<header>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>MedSeg evaluation · {Encode(report.Metric)}</h1>\n")
            .Append(CultureInfo.InvariantCulture,
                $"<p>{report.PerCase.Count} {Encode(report.CaseKind)}s · {report.Slices} slices · {Encode(how)} · {Encode(distances)}</p>\n");
        if (source is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>predictions {Encode(source.Predictions)} · truth {Encode(source.Truth)}</p>\n");
        }
        html.Append("</header>\n");
    }

    // The command, date and inputs: the model is not known to evaluate, so its predictions stand for it.
    private static void Footer(StringBuilder html, EvaluationSource? source)
    {
        string version = HtmlParts.Version;
        html.Append("<footer>\n");
        if (source is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Command: <code>{Encode(source.CommandLine)}</code></p>\n")
                .Append(CultureInfo.InvariantCulture,
                    $"<p>Written <time datetime=\"{source.WrittenUtc}\">{source.WrittenUtc}</time> by MedSeg {Encode(version)}.</p>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>Model: not known to evaluate; its predictions: {Encode(source.Predictions)}.</p>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>Truth: {Encode(source.Truth)}.</p>\n");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Written by MedSeg {Encode(version)}.</p>\n");
        }
        html.Append("<p>Undefined figures (nothing to average) read n/a.</p>\n</footer>\n");
    }

    private static void Cards(StringBuilder html, EvaluationReport report)
    {
        EvaluationFigures all = report.Overall;
        html.Append("<div class=\"cards\">\n");
        Card(html, "score", all.Score, main: true);
        Card(html, "Dice", all.Dice);
        Card(html, "IoU", all.Iou);
        Card(html, "precision", all.Precision);
        Card(html, "recall", all.Recall);
        Card(html, $"HD ({Unit(report)})", all.Hausdorff);
        Card(html, $"HD95 ({Unit(report)})", all.Hd95);
        Card(html, "all-empty score", report.EmptyScore);
        html.Append("</div>\n");
    }

    private static void Card(StringBuilder html, string label, double value, bool main = false) =>
        HtmlParts.Card(html, label, Number(value), main);

    internal static void FiguresTable(StringBuilder html, string firstHeader, Columns columns, IReadOnlyList<(string Name, EvaluationFigures Figures, bool All)> rows)
    {
        html.Append("<div class=\"table-wrap\"><table>\n<thead><tr>")
            .Append(CultureInfo.InvariantCulture, $"<th>{Encode(firstHeader)}</th>");
        foreach (Column column in columns.Shown)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(column.Header)}</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach ((string name, EvaluationFigures figures, bool all) in rows)
        {
            html.Append(all ? "<tr class=\"all\">" : "<tr>").Append(CultureInfo.InvariantCulture, $"<td>{Encode(name)}</td>");
            foreach (Column column in columns.Shown)
            {
                double value = column.Value(figures);
                if (!double.IsFinite(value))
                {
                    html.Append("<td class=\"na\">n/a</td>");
                }
                else if (column.Ratio)
                {
                    html.Append(CultureInfo.InvariantCulture,
                        $"<td class=\"bar\" style=\"--f:{Math.Clamp(value, 0, 1):F3}\">{Number(value)}</td>");
                }
                else
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td>{Number(value)}</td>");
                }
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    private static void PrecisionRecallSection(StringBuilder html, PrecisionRecallResult result)
    {
        html.Append("<section>\n<h2>Precision–recall</h2>\n")
            .Append(CultureInfo.InvariantCulture,
                $"<p class=\"note\">Voxel-wise, from the probability maps; mean average precision {Number(result.MeanAveragePrecision)}.</p>\n")
            .Append(CultureInfo.InvariantCulture,
                $"<div class=\"plot\"><img alt=\"precision–recall curves\" src=\"{DataUri(PrecisionRecallPlot.Encode(result.Curves))}\"></div>\n")
            .Append("<div class=\"table-wrap\" style=\"margin-top:12px\"><table>\n<thead><tr><th>class</th><th>average precision</th>")
            .Append("<th>best F1</th><th>at threshold</th><th>positive voxels</th><th>negative voxels</th></tr></thead>\n<tbody>\n");
        foreach (PrecisionRecallCurve curve in result.Curves)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Encode(curve.ClassName)}</td>{Cell(curve.AveragePrecision)}{Cell(curve.BestF1)}{Cell(curve.BestThreshold)}")
                .Append(CultureInfo.InvariantCulture, $"<td>{curve.Positives:N0}</td><td>{curve.Negatives:N0}</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    internal static void Gallery(StringBuilder html, IReadOnlyList<WorstSlice> slices)
    {
        html.Append("<section>\n<h2>Worst cases</h2>\n<p class=\"note\">The lowest-Dice (slice, class) pairs of the lowest-scoring cases, each class in its colour:");
        foreach (WorstSlice slice in slices.DistinctBy(s => s.ClassIndex).OrderBy(s => s.ClassIndex))
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"key tp\" style=\"--c:{Css(slice.ClassIndex)}\"></span>{Encode(slice.ClassName)}");
        }
        html.Append(".<br><span style=\"--c:#8a93a6\">")
            .Append("<span class=\"key tp\"></span>true positive (filled)")
            .Append("<span class=\"key fp\"></span>false positive: predicted only (stripes with white)")
            .Append("<span class=\"key fn\"></span>false negative: missed (stripes with black)</span>.")
            .Append(" A small structure is also shown enlarged; the white frame marks where.</p>\n<div class=\"gallery\">\n");
        foreach (WorstSlice slice in slices)
        {
            string alt = $"{Encode(slice.SliceId)} {Encode(slice.ClassName)}";
            ConfusionCrop? crop = slice.Crop;
            html.Append(CultureInfo.InvariantCulture, $"<figure><div class=\"views\"><img alt=\"{alt}\" src=\"{DataUri(slice.Png)}\">");
            if (crop is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<img class=\"crop\" alt=\"{alt} enlarged\" src=\"{DataUri(crop.Png)}\">");
            }
            html.Append(CultureInfo.InvariantCulture,
                    $"</div><figcaption><span class=\"key tp\" style=\"--c:{Css(slice.ClassIndex)};margin-left:0\"></span>{Encode(slice.SliceId)} · {Encode(slice.ClassName)}<br>")
                .Append(CultureInfo.InvariantCulture,
                    $"Dice <b>{Number(slice.Dice)}</b> · truth {slice.TruePixels:N0} px · predicted {slice.PredictedPixels:N0} px");
            if (crop is not null)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<br>enlarged ×{crop.Zoom}: rows {crop.Top}–{crop.Top + crop.Height - 1}, columns {crop.Left}–{crop.Left + crop.Width - 1}");
            }
            html.Append("</figcaption></figure>\n");
        }
        html.Append("</div>\n</section>\n");
    }

    private static string Css(int classIndex) => HtmlParts.ClassColour(classIndex);

    private static string Cell(double value) => double.IsFinite(value) ? $"<td>{Number(value)}</td>" : "<td class=\"na\">n/a</td>";

    private static string Number(double value) => EvaluationReport.Format(value);

    private static string Unit(EvaluationReport report) => report.DistanceUnit == EvaluationReport.MillimetreUnit ? "mm" : "norm.";

    private static string EmptyText(EmptyPolicy policy) => policy.Skips ? "skipped" : $"scored {policy}";

    private static string Encode(string text) => HtmlParts.Encode(text);

    private static string DataUri(byte[] png) => HtmlParts.DataUri(png);

    internal sealed record Column(string Header, Func<EvaluationFigures, double> Value, bool Ratio);

    // The table columns of a report: specificity and ASSD only where the metric measures them.
    internal sealed record Columns(IReadOnlyList<Column> Shown)
    {
        public static Columns For(EvaluationReport report)
        {
            string unit = Unit(report);
            var columns = new List<Column>
            {
                new("score", f => f.Score, true),
                new("Dice", f => f.Dice, true),
                new("IoU", f => f.Iou, true),
                new("precision", f => f.Precision, true),
                new("recall", f => f.Recall, true),
            };
            if (!report.PerClass.Values.All(f => double.IsNaN(f.Specificity)))
            {
                columns.Add(new("specificity", f => f.Specificity, true));
            }
            columns.Add(new($"HD ({unit})", f => f.Hausdorff, false));
            columns.Add(new($"HD95 ({unit})", f => f.Hd95, false));
            if (!report.PerClass.Values.All(f => double.IsNaN(f.Assd)))
            {
                columns.Add(new($"ASSD ({unit})", f => f.Assd, false));
            }
            return new Columns(columns);
        }
    }
}
