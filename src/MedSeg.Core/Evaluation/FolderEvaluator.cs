using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Scores a folder of index PNGs (<c>STEM.png</c>, one class index per pixel, as <c>medseg predict</c> writes them for
/// folder data) against the masks of a folder dataset (<see cref="FolderLayout"/>: a prediction is matched by file stem
/// to the first of test/, val/, train/ holding it, or to masks/). Classes are classes.txt's (index 0 = background,
/// left out of <c>per_class</c> as in the other layouts) or <c>class_1 … class_K</c> up to the largest index found.
/// Overlap ratios are dataset-wide by default (<c>--aggregate global</c>), as semantic segmentation reports them;
/// distances are in pixels; the report adds the mean IoU over every class, background included (<see cref="MulticlassIou"/>).
/// </summary>
public sealed class FolderEvaluator : IEvaluator
{
    private readonly FolderCase[] _cases;
    private readonly IReadOnlyList<string> _allClasses;

    private FolderEvaluator(IReadOnlyList<string> allClasses, FolderCase[] cases)
    {
        _allClasses = allClasses;
        Classes = allClasses.Skip(1).ToArray();
        _cases = cases;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Classes { get; }

    /// <inheritdoc />
    public string DefaultMetric => "iou";

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Whether <paramref name="predFolder"/> holds PNGs to score against the folder dataset <paramref name="truthPath"/>.</summary>
    public static bool Accepts(string predFolder, string truthPath) =>
        Directory.Exists(predFolder) && Directory.Exists(truthPath) && FolderLayout.IsDatasetFolder(truthPath);

    /// <summary>Pairs every PNG of <paramref name="predFolder"/> with its mask in the folder dataset <paramref name="truthPath"/>.</summary>
    /// <exception cref="MedSegException">No PNG to score, a prediction without a mask, or a dataset without masks.</exception>
    public static FolderEvaluator Load(string predFolder, string truthPath)
    {
        ArgumentNullException.ThrowIfNull(predFolder);
        ArgumentNullException.ThrowIfNull(truthPath);
        var layout = FolderLayout.Load(truthPath);
        var labelled = layout.Parts.Where(p => p.HasMasks).ToArray();
        if (labelled.Length == 0)
        {
            throw new MedSegException($"--truth {truthPath} has no masks/ folder; evaluate against a labelled folder dataset.");
        }
        var truth = new Dictionary<string, FolderItem>(StringComparer.Ordinal);
        foreach (var item in labelled.SelectMany(p => p.Items))
        {
            truth.TryAdd(item.Id, item);
        }
        var predictions = Directory.EnumerateFiles(predFolder, "*.png")
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (predictions.Length == 0)
        {
            throw new MedSegException($"--pred {predFolder} holds no .png index maps; pass the folder medseg predict wrote.");
        }
        var cases = predictions.Select(pred =>
        {
            string id = Path.GetFileNameWithoutExtension(pred);
            return truth.TryGetValue(id, out var item)
                ? new FolderCase(id, pred, item)
                : throw new MedSegException(
                    $"Prediction {pred} has no mask {id} in {string.Join(" or ", labelled.Select(p => Path.Combine(p.Root, "masks")))}; predict only images that have ground truth.");
        }).ToArray();
        var predicted = cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var predictedParts = labelled.Where(p => p.Items.Any(i => predicted.Contains(i.Id)));
        return new FolderEvaluator(layout.Labels ?? ClassNames(cases), cases)
        {
            Warnings = MissingPredictions.Warn(predictedParts.SelectMany(p => p.Items).Select(i => i.Id), predicted, "image", predFolder),
        };
    }

    /// <inheritdoc />
    /// <exception cref="MedSegException">A UW-Madison metric, a colour or differently sized prediction, or an index that is no class.</exception>
    public EvaluationReport Evaluate(EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsUwMadison)
        {
            throw new MedSegException(
                $"--metric {options.Metric} is the UW-Madison score and needs a submission .csv; for folder data use iou, dice, precision, recall, f1 or specificity.");
        }
        var overlap = new OverlapEvaluation(Classes, options, OverlapAggregation.Global);
        var iou = new MulticlassIou(_allClasses);
        ParallelCases.ForEach(_cases, c =>
        {
            var (pred, truth) = Read(c);
            overlap.AddLabels(c.Id, [1, truth.Height, truth.Width], [1, 1, 1], pred, truth.Pixels);
            iou.Update(pred, truth.Pixels, c.Id);
        });
        return overlap.Report("image", EvaluationReport.PixelUnit) with { Multiclass = iou.Compute() };
    }

    /// <inheritdoc />
    public IReadOnlyList<WorstSlice> FindWorstSlices(EvaluationReport report, int cases = 4, int slices = 8)
    {
        ArgumentNullException.ThrowIfNull(report);
        var worst = report.LowestScoringCases(cases).ToHashSet(StringComparer.Ordinal);
        var candidates = new List<(FolderCase Case, int Class, ConfusionCounts Counts)>();
        foreach (var c in _cases.Where(c => worst.Contains(c.Id)))
        {
            var (pred, truth) = Read(c);
            for (int k = 1; k < _allClasses.Count; k++)
            {
                var counts = ConfusionCounts.Of(Mask(pred, k), Mask(truth.Pixels, k));
                if (!double.IsNaN(counts.Dice(EmptyPolicy.Skip)))
                {
                    candidates.Add((c, k, counts));
                }
            }
        }
        return candidates
            .OrderBy(x => x.Counts.Dice(EmptyPolicy.Skip))
            .ThenByDescending(x => x.Counts.TruePositive + x.Counts.FalsePositive + x.Counts.FalseNegative)
            .Take(slices)
            .Select(x => Render(x.Case, x.Class, x.Counts))
            .ToArray();
    }

    private WorstSlice Render(FolderCase c, int label, ConfusionCounts counts)
    {
        var (pred, truth) = Read(c);
        var image = c.Truth.ReadImage();
        // Label k is the k-th class after background, so it takes the colour it has in every other overlay.
        return WorstSlice.Draw(c.Id, c.Id, _allClasses[label], label - 1, counts,
            Gray(image), image.Height, image.Width, Mask(truth.Pixels, label), Mask(pred, label));
    }

    // The predicted index map of a case and its true mask, checked to be one-channel and of the same size.
    private static (ushort[] Pred, RasterImage Truth) Read(FolderCase c)
    {
        var truth = c.Truth.ReadMask();
        var pred = RasterImage.Read(c.PredPath);
        if (pred.Channels != 1)
        {
            throw new MedSegException($"Prediction {c.PredPath} has {pred.Channels} channels; an index map holds one class index per pixel (8-bit grayscale PNG).");
        }
        if (pred.Height != truth.Height || pred.Width != truth.Width)
        {
            throw new MedSegException(
                $"Prediction {c.PredPath} is {pred.Width}×{pred.Height} but its mask {c.Truth.MaskPath} is {truth.Width}×{truth.Height} (width×height); predict at the image's own size.");
        }
        return (pred.Pixels, truth);
    }

    private static byte[] Mask(ushort[] labels, int label)
    {
        var mask = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            mask[i] = labels[i] == label ? (byte)1 : (byte)0;
        }
        return mask;
    }

    // The image as 16-bit gray for the overlay: RGB by its luma (ITU-R BT.601), 8-bit values widened to 16 bits.
    private static ushort[] Gray(RasterImage image)
    {
        var gray = new ushort[image.Height * image.Width];
        int scale = image.BitDepth == 8 ? 257 : 1;
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = image.Channels == 3
                ? (ushort)(scale * (0.299 * image.Pixels[3 * i] + 0.587 * image.Pixels[3 * i + 1] + 0.114 * image.Pixels[3 * i + 2]))
                : (ushort)(scale * image.Pixels[i]);
        }
        return gray;
    }

    // Names background, class_1 … class_K, K the largest index of any prediction or mask (no classes.txt).
    private static IReadOnlyList<string> ClassNames(FolderCase[] cases)
    {
        int largest = 0;
        foreach (var c in cases)
        {
            var (pred, truth) = Read(c);
            largest = Math.Max(largest, Math.Max(pred.Max(), truth.Pixels.Max()));
        }
        return Enumerable.Range(0, Math.Max(2, largest + 1)).Select(FolderSurvey.DefaultName).ToArray();
    }

    private sealed record FolderCase(string Id, string PredPath, FolderItem Truth);
}
