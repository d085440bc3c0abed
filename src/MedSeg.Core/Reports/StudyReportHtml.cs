using System.Globalization;
using System.Text;

namespace MedSeg.Core.Reports;

/// <summary>
/// The self-contained HTML page of a 2D vs 2.5D vs 3D study (<c>OUT/report.html</c> of <c>medseg compare</c>), in the
/// shared look (<see cref="HtmlParts"/>): grouped bars of every plotted figure (modes along the axis, one bar per
/// architecture) at the largest training set, validation Dice against the training-set size per architecture (one line
/// per mode, as Avesta et al.'s Figure 3), and the full table. The plots are inline SVG (<see cref="SvgCharts"/>).
/// </summary>
public static class StudyReportHtml
{
    private const string Css = """
        .charts { display: flex; flex-wrap: wrap; gap: 14px; }
        .charts figure { flex: 0 0 auto; }
        .charts svg { display: block; max-width: 100%; height: auto; }
        #table th:nth-child(2), #table td:nth-child(2) { text-align: left; }
        """;

    /// <summary>The page of <paramref name="report"/>.</summary>
    public static string Render(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        HtmlParts.Begin(html, report.Title, report.Lines, Css);
        html.Append("<main>\n");
        var modes = report.Modes;
        var architectures = report.Architectures;
        var counts = report.TrainCaseCounts;
        var largest = counts.Count == 0 ? 0 : counts[0];

        html.Append("<section id=\"bars\">\n<h2>Figures by mode and architecture</h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\">Each bar is one trained run, validated on the same case-days; {Plural.Of(largest, "training case")}.</p>\n<div class=\"charts\">\n");
        foreach (var column in report.Columns.Where(c => c.Plot))
        {
            var series = architectures.Select(a => new SvgCharts.Series(a, [.. modes.Select(m => report.Value(column.Key, m, a, largest))])).ToArray();
            Figure(html, SvgCharts.GroupedBars(column.Header, column.Unit, modes, series));
        }
        html.Append("</div>\n</section>\n");

        if (counts.Count > 1)
        {
            var dice = report.Columns.First(c => c.Key == StudyReport.DiceKey);
            html.Append("<section id=\"sizes\">\n<h2>Validation Dice against training-set size</h2>\n")
                .Append("<p class=\"note\">Smaller training sets are nested subsets of the larger ones, drawn from the seed; the validation case-days are the same for every point.</p>\n<div class=\"charts\">\n");
            var x = counts.Reverse().Select(c => (double)c).ToArray();
            foreach (var architecture in architectures)
            {
                var series = modes.Select(m => new SvgCharts.Series(m, [.. x.Select(c => report.Value(dice.Key, m, architecture, (int)c))])).ToArray();
                Figure(html, SvgCharts.Lines($"{dice.Header}, {architecture}", dice.Unit, "training cases", x, series));
            }
            html.Append("</div>\n</section>\n");
        }

        html.Append("<section id=\"table\">\n<h2>Every run</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>mode</th><th>arch</th><th>training cases</th>");
        foreach (var column in report.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{HtmlParts.Encode(column.Unit.Length == 0 ? column.Header : $"{column.Header} ({column.Unit})")}</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in report.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlParts.Encode(row.Mode)}</td><td>{HtmlParts.Encode(row.Architecture)}</td><td>{row.TrainCases}</td>");
            for (var i = 0; i < report.Columns.Count; i++)
            {
                var value = row.Values[i];
                html.Append(double.IsFinite(value) ? "<td>" : "<td class=\"na\">").Append(StudyReport.Format(value, report.Columns[i].Decimals)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</section>\n</main>\n");
        HtmlParts.End(html, report.Notes.Select(HtmlParts.Encode));
        return html.ToString();
    }

    private static void Figure(StringBuilder html, string svg) => html.Append("<figure>").Append(svg).Append("</figure>\n");
}
