using System.Globalization;
using System.Net;
using System.Reflection;
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
    private const string Style = """
        :root { --ink: #1d2330; --muted: #6b7385; --line: #e3e6ec; --panel: #fff; --bg: #f4f5f8; --accent: #3d7bd9; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        header { background: var(--ink); color: #fff; padding: 22px 32px 18px; }
        header h1 { margin: 0 0 4px; font-size: 21px; font-weight: 600; }
        header p { margin: 2px 0; color: #b9c1d1; font-size: 13px; overflow-wrap: anywhere; }
        main { padding: 8px 32px 32px; max-width: 1280px; }
        section { margin-top: 26px; }
        h2 { font-size: 17px; font-weight: 600; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        .note { color: var(--muted); font-size: 12.5px; margin: -4px 0 10px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
        .card { background: var(--panel); border-radius: 8px; padding: 12px 16px; min-width: 118px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        .card .label { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .card.main { border-left: 4px solid var(--accent); }
        .table-wrap { max-width: 100%; max-height: 560px; overflow-x: auto; overflow-y: auto; border-radius: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        table { border-collapse: collapse; width: max-content; min-width: 100%; background: var(--panel); font-size: 13px; }
        th, td { padding: 6px 12px; text-align: right; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        thead th { position: sticky; top: 0; background: #eef1f6; font-weight: 600; color: #3a4254; }
        tbody tr:hover { background: #f7f9fc; }
        tr.all td { font-weight: 600; background: #f2f6fd; }
        td.na { color: #a3a9b5; }
        td.bar { background: linear-gradient(#8fb5ec, #8fb5ec) no-repeat left 6px bottom 3px / calc((100% - 12px) * var(--f)) 3px; }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(340px, 100%), 1fr)); gap: 14px; }
        .views { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 6px; }
        figure { margin: 0; background: var(--panel); border-radius: 8px; padding: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); }
        figure img { display: block; width: 100%; image-rendering: pixelated; border-radius: 4px; background: #000; }
        figcaption { font-size: 12px; margin-top: 6px; color: #3a4254; }
        figcaption b { font-variant-numeric: tabular-nums; }
        .key { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin: 0 4px 0 10px; box-shadow: inset 0 0 0 1px rgba(0, 0, 0, .25); }
        .key.tp { background: var(--c); }
        .key.fp { background: repeating-linear-gradient(-45deg, var(--c) 0 2px, #fff 2px 4px); }
        .key.fn { background: repeating-linear-gradient(45deg, var(--c) 0 2px, #000 2px 4px); }
        .plot img { max-width: 100%; border-radius: 8px; box-shadow: 0 1px 3px rgba(20, 30, 50, .08); background: #fff; }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 28px; overflow-wrap: anywhere; }
        footer p { margin: 2px 0; }
        footer code { color: var(--ink); }
        """;

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
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
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
        string version = typeof(EvaluationHtml).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        html.Append("<footer>\n");
        if (source is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Command: <code>{Encode(source.CommandLine)}</code></p>\n")
                .Append(CultureInfo.InvariantCulture,
                    $"<p>Written <time datetime=\"{source.WrittenUtc}\">{source.WrittenUtc}</time> by MedSeg {Encode(version.Split('+')[0])}.</p>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>Model: not known to evaluate; its predictions: {Encode(source.Predictions)}.</p>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>Truth: {Encode(source.Truth)}.</p>\n");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Written by MedSeg {Encode(version.Split('+')[0])}.</p>\n");
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
        html.Append(CultureInfo.InvariantCulture,
            $"<div class=\"card{(main ? " main" : "")}\"><div class=\"label\">{Encode(label)}</div><div class=\"value\">{Number(value)}</div></div>\n");

    private static void FiguresTable(StringBuilder html, string firstHeader, Columns columns, IReadOnlyList<(string Name, EvaluationFigures Figures, bool All)> rows)
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

    private static void Gallery(StringBuilder html, IReadOnlyList<WorstSlice> slices)
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

    private static string Css(int classIndex)
    {
        (byte r, byte g, byte b) = OverlayImage.ClassColour(classIndex);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    private static string Cell(double value) => double.IsFinite(value) ? $"<td>{Number(value)}</td>" : "<td class=\"na\">n/a</td>";

    private static string Number(double value) => EvaluationReport.Format(value);

    private static string Unit(EvaluationReport report) => report.DistanceUnit == EvaluationReport.MillimetreUnit ? "mm" : "norm.";

    private static string EmptyText(EmptyPolicy policy) => policy.Skips ? "skipped" : $"scored {policy}";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private sealed record Column(string Header, Func<EvaluationFigures, double> Value, bool Ratio);

    // The table columns of a report: specificity and ASSD only where the metric measures them.
    private sealed record Columns(IReadOnlyList<Column> Shown)
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
