using System.Globalization;
using System.Text;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;

namespace MedSeg.Core.Viewer;

/// <summary>
/// <c>medseg view</c>: builds the slice viewer page of a dataset, its predictions or both (<see cref="Build"/>) and
/// writes it as one self-contained HTML file (<see cref="Write"/>). Slices are embedded as PNG; when the page would
/// exceed its size cap, every slice is shrunk by a whole factor: the size at full resolution gives the first guess
/// (size falls about with the square of the factor), raised until the page fits.
/// </summary>
public static class SliceViewer
{
    /// <summary>Reads every case of <paramref name="source"/> and lays the page out.</summary>
    /// <param name="source">The data (and predictions).</param>
    /// <param name="options">Size cap and cases.</param>
    /// <param name="dataName">How the page names the data (e.g. its path).</param>
    /// <param name="predName">How the page names the predictions, or null.</param>
    /// <param name="progress">Told what is being done, a line at a time.</param>
    /// <exception cref="MedSegException">A case to show is unknown, a file is broken, or the page cannot fit the cap even shrunk <see cref="ViewerOptions.MaxFactor"/> times.</exception>
    public static ViewerPage Build(IViewerSource source, ViewerOptions options, string dataName, string? predName = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> ids = options.Cases ?? source.CaseIds;
        string? unknown = ids.FirstOrDefault(id => !source.CaseIds.Contains(id));
        if (unknown is not null)
        {
            throw new MedSegException(
                $"--cases names {unknown}, which is not a {source.CaseKind} shown from {dataName}; choose among {string.Join(", ", source.CaseIds.Take(5))}{(source.CaseIds.Count > 5 ? ", …" : "")}.");
        }
        progress?.Invoke(source.HasTruth && source.HasPredictions ? "evaluating the predictions" : $"reading {ids.Count} {source.CaseKind}(s)");
        EvaluationReport? report = source.Evaluate();
        int factor = 1;
        while (true)
        {
            var cases = new List<ViewerCasePage>();
            foreach (string id in ids)
            {
                cases.Add(CasePage(source, source.Read(id), factor, report));
            }
            ViewerPage page = Layout(source, report, cases, factor, options.MaxBytes, dataName, predName);
            long bytes = Encoding.UTF8.GetByteCount(ViewerHtml.Render(page));
            if (bytes <= options.MaxBytes)
            {
                return page;
            }
            if (factor >= ViewerOptions.MaxFactor)
            {
                throw new MedSegException(
                    $"The viewer page of {dataName} needs {Megabytes(bytes)} even with slices shrunk {factor}×, over the {Megabytes(options.MaxBytes)} cap; raise --max-mb or show fewer cases with --cases.");
            }
            int next = (int)Math.Ceiling(factor * Math.Sqrt((double)bytes / options.MaxBytes));
            factor = Math.Min(ViewerOptions.MaxFactor, Math.Max(factor + 1, next));
            progress?.Invoke($"the page would be {Megabytes(bytes)}, over the {Megabytes(options.MaxBytes)} cap: shrinking slices {factor}×");
        }
    }

    /// <summary>Writes <paramref name="page"/> to <paramref name="path"/> (temporary file, then rename); returns its size in bytes.</summary>
    public static long Write(string path, ViewerPage page)
    {
        string html = ViewerHtml.Render(page);
        AtomicFile.WriteAllText(path, html);
        return Encoding.UTF8.GetByteCount(html);
    }

    private static ViewerCasePage CasePage(IViewerSource source, ViewerCase c, int factor, EvaluationReport? report)
    {
        ViewerPlanes planes = ViewerPlanes.Encode(c, factor);
        double[] window = [0, 255];
        double[] range = [0, 255];
        if (c.Channels == 1)
        {
            (int low, int high) = OverlayImage.PercentileWindow(c.Pixels);
            window = [c.ValueOffset + low * c.ValueScale, c.ValueOffset + high * c.ValueScale];
            range = [c.ValueOffset + c.Pixels.Min() * c.ValueScale, c.ValueOffset + c.Pixels.Max() * c.ValueScale];
        }
        EvaluationCase? figures = report?.PerCase.GetValueOrDefault(c.Id);
        double rowSpacing = c.Spacing[1] * c.Height / planes.Height, columnSpacing = c.Spacing[2] * c.Width / planes.Width;
        return new ViewerCasePage(c.Id, c.Depth, c.Height, c.Width, c.Channels, c.ValueOffset, c.ValueScale,
            [c.Spacing[0], rowSpacing, columnSpacing], [.. window, .. range], c.SliceNames,
            ViewerSliceFigures.Of(c, source.Masks, source.Classes.Count),
            figures is null ? null : Named(figures.Overall),
            figures?.PerClass.ToDictionary(p => p.Key, p => Finite(p.Value.Dice)),
            planes);
    }

    private static ViewerPage Layout(
        IViewerSource source, EvaluationReport? report, List<ViewerCasePage> cases, int factor, long maxBytes, string dataName, string? predName)
    {
        var ordered = cases.OrderBy(c => double.IsNaN(c.Score) ? double.PositiveInfinity : c.Score).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
        string what = (source.HasTruth, source.HasPredictions) switch
        {
            (true, true) => "truth and prediction",
            (true, false) => "truth",
            (false, true) => "prediction",
            _ => "images only",
        };
        string size = maxBytes == long.MaxValue ? "full resolution, each case's slices fetched when it is opened"
            : factor == 1 ? $"full resolution (cap {Megabytes(maxBytes)})"
            : $"slices shrunk {factor}× in rows and columns to keep the page under {Megabytes(maxBytes)}";
        string[] lines =
        [
            $"{dataName} ({source.Format}){(predName is null ? "" : $" · predictions {predName}")}",
            string.Create(CultureInfo.InvariantCulture, $"{cases.Count} {source.CaseKind}(s) · {cases.Sum(c => c.Depth)} slices · {what} · {size}"),
        ];
        return new ViewerPage("MedSeg viewer", lines, source.Format, source.CaseKind, source.Classes, source.Masks,
            source.HasTruth, source.HasPredictions, report?.Metric, report?.DistanceUnit, ordered, factor, maxBytes);
    }

    private static Dictionary<string, double?> Named(EvaluationFigures f) => new()
    {
        ["score"] = Finite(f.Score),
        ["dice"] = Finite(f.Dice),
        ["iou"] = Finite(f.Iou),
        ["precision"] = Finite(f.Precision),
        ["recall"] = Finite(f.Recall),
        ["hausdorff"] = Finite(f.Hausdorff),
        ["hd95"] = Finite(f.Hd95),
    };

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
