using System.Globalization;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Reports;

/// <summary>
/// Draws precision–recall curves to a PNG: recall on x and precision on y (both 0–1), one line per class with its
/// average precision and F1-optimal threshold in the legend and that threshold's point marked.
/// </summary>
public static class PrecisionRecallPlot
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 760;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 560;

    /// <summary>Renders the curves and returns the PNG bytes.</summary>
    /// <param name="curves">One curve per class; classes without positive voxels are named in the legend but not drawn.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] Encode(IReadOnlyList<PrecisionRecallCurve> curves, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        var palette = new ScottPlot.Palettes.Category10();
        for (int c = 0; c < curves.Count; c++)
        {
            PrecisionRecallCurve curve = curves[c];
            if (curve.Positives == 0)
            {
                var placeholder = plot.Add.ScatterLine(Array.Empty<double>(), Array.Empty<double>());
                placeholder.LegendText = $"{curve.ClassName}: no positive voxels";
                continue;
            }
            var line = plot.Add.ScatterLine(curve.Recall.ToArray(), curve.Precision.ToArray());
            line.Color = palette.GetColor(c);
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{curve.ClassName}: AP {curve.AveragePrecision:F3}, best F1 {curve.BestF1:F3} at p ≥ {curve.BestThreshold:F3}");
            int best = (int)Math.Round(curve.BestThreshold * (curve.Thresholds.Count - 1));
            var marker = plot.Add.Marker(curve.Recall[best], curve.Precision[best]);
            marker.Color = line.Color;
            marker.Size = 9;
        }
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Title("Precision–recall by class");
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Renders as <see cref="Encode"/> does and writes the PNG through a temporary file then a rename.</summary>
    public static void Write(string path, IReadOnlyList<PrecisionRecallCurve> curves, int width = DefaultWidth, int height = DefaultHeight)
    {
        byte[] png = Encode(curves, width, height);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, png));
    }
}
