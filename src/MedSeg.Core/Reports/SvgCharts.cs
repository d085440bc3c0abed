using System.Globalization;
using System.Text;

namespace MedSeg.Core.Reports;

/// <summary>
/// Small charts as inline SVG, so a page plots without scripts, style sheets or image files: grouped bars (one group
/// per category, one bar per series) and lines over a numeric axis. Series take the colours of
/// <see cref="HtmlParts.ClassColour"/> in order; undefined values (NaN) leave a gap and read <c>n/a</c>.
/// </summary>
public static class SvgCharts
{
    private const int Width = 420;
    private const int Height = 260;
    private const int Left = 56;
    private const int Right = 12;
    private const int Top = 28;
    private const int Bottom = 58;
    private const int Ticks = 4;

    /// <summary>One series: its name (the legend) and one value per category or point.</summary>
    public sealed record Series(string Name, IReadOnlyList<double> Values);

    /// <summary>
    /// Bars of <paramref name="series"/> grouped by <paramref name="categories"/> (each series' values in category
    /// order), on a y axis from 0, with a legend.
    /// </summary>
    public static string GroupedBars(string title, string unit, IReadOnlyList<string> categories, IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var max = NiceMax(series.SelectMany(s => s.Values));
        var svg = Open(title, unit, 0, max);
        var plotWidth = Width - Left - Right;
        var groupWidth = plotWidth / (double)Math.Max(1, categories.Count);
        var barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            var groupLeft = Left + c * groupWidth + groupWidth * 0.1;
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[c];
                var x = groupLeft + s * barWidth;
                var label = $"{series[s].Name}, {categories[c]}: {Format(value)} {unit}";
                if (double.IsFinite(value))
                {
                    var y = Y(value, 0, max);
                    svg.Append(Invariant($"<rect class=\"bar\" x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barWidth * 0.92:F1}\" height=\"{Top + PlotHeight - y:F1}\" fill=\"{HtmlParts.ClassColour(s)}\"><title>{HtmlParts.Encode(label)}</title></rect>\n"));
                }
                else
                {
                    svg.Append(Invariant($"<text x=\"{x + barWidth / 2:F1}\" y=\"{Top + PlotHeight - 4}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#a3a9b5\">n/a<title>{HtmlParts.Encode(label)}</title></text>\n"));
                }
            }
            svg.Append(Invariant($"<text x=\"{Left + (c + 0.5) * groupWidth:F1}\" y=\"{Top + PlotHeight + 16}\" font-size=\"12\" text-anchor=\"middle\">{HtmlParts.Encode(categories[c])}</text>\n"));
        }
        return Close(svg, series.Select(s => s.Name).ToArray());
    }

    /// <summary>
    /// One line per series over the x values <paramref name="x"/> (each series' values in x order), with a dot per
    /// point; the y axis spans 0 to the largest value, the x axis the x values.
    /// </summary>
    public static string Lines(string title, string unit, string xLabel, IReadOnlyList<double> x, IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var max = NiceMax(series.SelectMany(s => s.Values));
        var svg = Open(title, unit, 0, max);
        var (xMin, xMax) = x.Count == 0 ? (0.0, 1.0) : (x.Min(), x.Max());
        if (xMax <= xMin)
        {
            (xMin, xMax) = (xMin - 1, xMax + 1);
        }
        double X(double value) => Left + 10 + (value - xMin) / (xMax - xMin) * (Width - Left - Right - 20);
        foreach (var value in x.Distinct())
        {
            svg.Append(Invariant($"<text x=\"{X(value):F1}\" y=\"{Top + PlotHeight + 16}\" font-size=\"11\" text-anchor=\"middle\">{Format(value)}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{Left + (Width - Left - Right) / 2}\" y=\"{Top + PlotHeight + 30}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6b7385\">{HtmlParts.Encode(xLabel)}</text>\n"));
        for (var s = 0; s < series.Count; s++)
        {
            var colour = HtmlParts.ClassColour(s);
            var points = x.Zip(series[s].Values).Where(p => double.IsFinite(p.Second)).OrderBy(p => p.First)
                .Select(p => (X: X(p.First), Y: Y(p.Second, 0, max), Label: $"{series[s].Name}, {Format(p.First)} {xLabel}: {Format(p.Second)} {unit}")).ToArray();
            svg.Append(Invariant($"<polyline class=\"line\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")))}\"/>\n"));
            foreach (var point in points)
            {
                svg.Append(Invariant($"<circle class=\"point\" cx=\"{point.X:F1}\" cy=\"{point.Y:F1}\" r=\"3.5\" fill=\"{colour}\"><title>{HtmlParts.Encode(point.Label)}</title></circle>\n"));
            }
        }
        return Close(svg, series.Select(s => s.Name).ToArray());
    }

    private const int PlotHeight = Height - Top - Bottom;

    private static double Y(double value, double min, double max) => Top + PlotHeight - (value - min) / (max - min) * PlotHeight;

    /// <summary>The top of the y axis: the largest finite value rounded up to 1, 2, 4, 6 or 8 times a power of ten (1 when there is none).</summary>
    private static double NiceMax(IEnumerable<double> values)
    {
        var max = values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        if (max <= 0)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return new[] { 1, 2, 4, 6, 8, 10 }.Select(m => m * power).First(m => m >= max);
    }

    private static StringBuilder Open(string title, string unit, double min, double max)
    {
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{HtmlParts.Encode(title)}\" font-family=\"DejaVu Sans, sans-serif\">\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"600\">{HtmlParts.Encode(title)}</text>\n"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"16\" font-size=\"11\" text-anchor=\"end\" fill=\"#6b7385\">{HtmlParts.Encode(unit)}</text>\n"));
        for (var t = 0; t <= Ticks; t++)
        {
            var value = min + (max - min) * t / Ticks;
            var y = Y(value, min, max);
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#e3e6ec\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#6b7385\">{Format(value)}</text>\n"));
        }
        return svg;
    }

    private static string Close(StringBuilder svg, IReadOnlyList<string> names)
    {
        var x = (double)Left;
        for (var s = 0; s < names.Count; s++)
        {
            svg.Append(Invariant($"<rect x=\"{x:F1}\" y=\"{Height - 14}\" width=\"10\" height=\"10\" fill=\"{HtmlParts.ClassColour(s)}\"/>"))
                .Append(Invariant($"<text x=\"{x + 14:F1}\" y=\"{Height - 5}\" font-size=\"11\">{HtmlParts.Encode(names[s])}</text>\n"));
            x += 24 + 7 * names[s].Length;
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A figure as the axes print it: up to three significant decimals, <c>n/a</c> when undefined.</summary>
    private static string Format(double value) =>
        !double.IsFinite(value) ? "n/a"
        : Math.Abs(value) >= 100 || value == Math.Round(value) ? value.ToString("0", CultureInfo.InvariantCulture)
        : value.ToString(Math.Abs(value) >= 1 ? "0.##" : "0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
