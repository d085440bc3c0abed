using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Scores a folder of NIfTI label maps (<c>CASE.nii.gz</c> or <c>CASE.nii</c>; 0 = background, k = class k) against
/// the label maps of the same names: an nnU-Net raw dataset (its <c>labelsTr</c>, or for held-out cases its
/// <c>labelsTs</c>; class names from <c>dataset.json</c>, images from <c>imagesTr</c> for the worst-case pictures) or any folder of label maps
/// (classes named by their label values 1 … the largest label present). Every predicted case is scored; cases
/// are read and scored in parallel. Distances are in mm, from the spacing in the files.
/// </summary>
public sealed class LabelMapEvaluator : IEvaluator
{
    /// <summary>The file endings of label maps, in the order a case's file is looked for.</summary>
    internal static readonly string[] Endings = [".nii.gz", ".nii"];

    private readonly LabelMapCase[] _cases;

    private LabelMapEvaluator(IReadOnlyList<string> classes, LabelMapCase[] cases)
    {
        Classes = classes;
        _cases = cases;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Classes { get; }

    /// <inheritdoc />
    public string DefaultMetric => "dice";

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Pairs every label map of <paramref name="predFolder"/> with its truth under <paramref name="truthPath"/>.</summary>
    /// <param name="predFolder">Folder of predicted label maps.</param>
    /// <param name="truthPath">An nnU-Net dataset folder (with <c>dataset.json</c>), its <c>labelsTr</c> or <c>labelsTs</c>, or any folder of label maps.</param>
    /// <exception cref="MedSegException">A folder is missing or empty, or a prediction has no truth of the same name.</exception>
    public static LabelMapEvaluator Load(string predFolder, string truthPath)
    {
        ArgumentNullException.ThrowIfNull(predFolder);
        ArgumentNullException.ThrowIfNull(truthPath);
        if (!Directory.Exists(truthPath))
        {
            throw new MedSegException($"--truth {truthPath} is not a folder; pass an nnU-Net dataset, its labelsTr, or a folder of label maps.");
        }
        string full = Path.GetFullPath(truthPath);
        string? datasetRoot = File.Exists(Path.Combine(full, "dataset.json")) ? full
            : Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)) is "labelsTr" or "labelsTs" && File.Exists(Path.Combine(full, "..", "dataset.json"))
                ? Path.GetFullPath(Path.Combine(full, ".."))
                : null;
        NnUnetDataset? dataset = datasetRoot is null ? null : NnUnetDataset.Load(datasetRoot);
        string truthFolder = datasetRoot is null ? full : Path.Combine(datasetRoot, "labelsTr");
        // Held-out truth (labelsTs) is not part of nnU-Net's dataset.json contract: only evaluation reads it.
        string? heldOutFolder = datasetRoot is null ? null : Path.Combine(datasetRoot, "labelsTs");
        var training = dataset?.TrainingCases.ToDictionary(c => c.Id, StringComparer.Ordinal);

        var predictions = Directory.Exists(predFolder)
            ? Directory.EnumerateFiles(predFolder).Where(f => CaseId(f) is not null).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (predictions.Length == 0)
        {
            throw new MedSegException($"--pred {predFolder} holds no .nii.gz or .nii label maps; pass the folder medseg predict wrote.");
        }
        var cases = predictions.Select(pred =>
        {
            string id = CaseId(pred)!;
            string? truth = training is not null && training.TryGetValue(id, out NnUnetCase? known)
                ? known.LabelPath
                : Endings.Select(e => Path.Combine(truthFolder, id + e)).FirstOrDefault(File.Exists)
                    ?? (heldOutFolder is null ? null : Endings.Select(e => Path.Combine(heldOutFolder, id + e)).FirstOrDefault(File.Exists));
            if (truth is null)
            {
                throw new MedSegException(
                    $"Prediction {pred} has no label map {id}.nii.gz or {id}.nii in {truthFolder}; predict only cases that have ground truth.");
            }
            return new LabelMapCase(id, pred, truth, training?.GetValueOrDefault(id)?.ImagePaths[0]);
        }).ToArray();
        if (cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != cases.Length)
        {
            throw new MedSegException($"--pred {predFolder} holds both CASE.nii and CASE.nii.gz for some case; keep one file per case.");
        }
        var heldOut = heldOutFolder is not null && cases.Any(c => Path.GetDirectoryName(c.TruthPath) == heldOutFolder);
        var truthIds = heldOut ? Directory.EnumerateFiles(heldOutFolder!).Select(CaseId).OfType<string>()
            : training?.Keys ?? Directory.EnumerateFiles(truthFolder).Select(CaseId).OfType<string>();
        return new LabelMapEvaluator(dataset?.Classes ?? LabelNames(cases), cases)
        {
            Warnings = MissingPredictions.Warn(truthIds, cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal), "case", predFolder),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="EvaluationOptions.Probabilities"/>, each case's <c>CASE.npy</c> there (classes × Z × Y × X,
    /// the label map's voxel order) adds to per-class precision–recall.
    /// </remarks>
    /// <exception cref="MedSegException">The metric is a UW-Madison preset, or a pair of label maps (or a probability map) does not match.</exception>
    public EvaluationReport Evaluate(EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsUwMadison)
        {
            throw new MedSegException(
                $"--metric {options.Metric} is the UW-Madison score and needs a submission .csv; for label maps use dice, iou, precision, recall, f1 or specificity.");
        }
        var overlap = new OverlapEvaluation(Classes, options, OverlapAggregation.Volume);
        ProbabilityEvaluation? probabilities = ProbabilityEvaluation.For(options, Classes);
        ParallelCases.ForEach(_cases, c =>
        {
            var (pred, truth) = Read(c);
            overlap.AddLabels(c.Id, Shape(truth), Spacing(truth), pred.Voxels, truth.Voxels);
            probabilities?.AddLabels(c.Id, Shape(truth), truth.Voxels);
        });
        return overlap.Report("case") with { PrecisionRecall = probabilities?.Compute() };
    }

    /// <inheritdoc />
    /// <remarks>Slices are the volumes' z planes; cases without an image (truth outside an nnU-Net dataset) are left out.</remarks>
    public IReadOnlyList<WorstSlice> FindWorstSlices(EvaluationReport report, int cases = 4, int slices = 8)
    {
        ArgumentNullException.ThrowIfNull(report);
        var worst = report.LowestScoringCases(cases).ToHashSet(StringComparer.Ordinal);
        var candidates = new List<(LabelMapCase Case, int Z, int Class, ConfusionCounts Counts)>();
        long[] truePositive = new long[Classes.Count + 1], falsePositive = new long[Classes.Count + 1], falseNegative = new long[Classes.Count + 1];
        foreach (LabelMapCase c in _cases.Where(c => c.ImagePath is not null && worst.Contains(c.Id)))
        {
            var (pred, truth) = Read(c);
            int plane = truth.Shape.X * truth.Shape.Y;
            for (int z = 0; z < truth.Shape.Z; z++)
            {
                Array.Clear(truePositive);
                Array.Clear(falsePositive);
                Array.Clear(falseNegative);
                LabelCounts.Add<ushort>(pred.Voxels.AsSpan(z * plane, plane), truth.Voxels.AsSpan(z * plane, plane),
                    truePositive, falsePositive, falseNegative, c.Id);
                for (int k = 0; k < Classes.Count; k++)
                {
                    long tp = truePositive[k + 1], fp = falsePositive[k + 1], fn = falseNegative[k + 1];
                    var counts = new ConfusionCounts(tp, fp, fn, plane - tp - fp - fn);
                    if (!double.IsNaN(counts.Dice(EmptyPolicy.Skip)))
                    {
                        candidates.Add((c, z, k, counts));
                    }
                }
            }
        }
        return candidates
            .OrderBy(x => x.Counts.Dice(EmptyPolicy.Skip))
            .ThenByDescending(x => x.Counts.TruePositive + x.Counts.FalsePositive + x.Counts.FalseNegative)
            .Take(slices)
            .Select(x => Render(x.Case, x.Z, x.Class, x.Counts))
            .ToArray();
    }

    private WorstSlice Render(LabelMapCase c, int z, int classIndex, ConfusionCounts counts)
    {
        var (pred, truth) = Read(c);
        Volume<float> image = Nifti.ReadImage(c.ImagePath!);
        int width = truth.Shape.X, height = truth.Shape.Y, plane = width * height;
        if (image.Shape != truth.Shape)
        {
            throw new MedSegException($"Image {c.ImagePath} is {image.Shape} but its label map {c.TruthPath} is {truth.Shape}; they must share a grid.");
        }
        ushort label = (ushort)(classIndex + 1);
        byte[] truthMask = new byte[plane], predMask = new byte[plane];
        for (int i = 0; i < plane; i++)
        {
            truthMask[i] = truth.Voxels[z * plane + i] == label ? (byte)1 : (byte)0;
            predMask[i] = pred.Voxels[z * plane + i] == label ? (byte)1 : (byte)0;
        }
        return WorstSlice.Draw(c.Id, string.Create(CultureInfo.InvariantCulture, $"{c.Id} z {z}"), Classes[classIndex], classIndex, counts,
            ToGray(image.Channel(0).Slice(z * plane, plane)), height, width, truthMask, predMask);
    }

    // Both label maps of a case, checked to share a grid and to hold only known labels.
    private (Volume<ushort> Pred, Volume<ushort> Truth) Read(LabelMapCase c)
    {
        Volume<ushort> pred = Nifti.ReadLabels(c.PredPath), truth = Nifti.ReadLabels(c.TruthPath);
        if (pred.Shape != truth.Shape)
        {
            throw new MedSegException(
                $"Prediction {c.PredPath} is {pred.Shape} but its truth {c.TruthPath} is {truth.Shape}; predict on the truth's grid.");
        }
        for (int axis = 0; axis < 3; axis++)
        {
            if (Math.Abs(pred.Spacing[axis] - truth.Spacing[axis]) > 1e-3 * truth.Spacing[axis])
            {
                throw new MedSegException(
                    $"Prediction {c.PredPath} has spacing {pred.Spacing} but its truth {c.TruthPath} has {truth.Spacing}; predict on the truth's grid.");
            }
        }
        foreach ((Volume<ushort> volume, string path) in new[] { (pred, c.PredPath), (truth, c.TruthPath) })
        {
            int largest = volume.Voxels.Max();
            if (largest > Classes.Count)
            {
                throw new MedSegException(
                    $"Label map {path} holds label {largest} but there are {Classes.Count} classes ({string.Join(", ", Classes)}); labels must be 0 to {Classes.Count}.");
            }
        }
        return (pred, truth);
    }

    // Row-major (Z, Y, X) view of a NIfTI volume (x fastest) and its spacing in the same order.
    private static int[] Shape(Volume<ushort> volume) => [volume.Shape.Z, volume.Shape.Y, volume.Shape.X];

    private static double[] Spacing(Volume<ushort> volume) => [volume.Spacing.Z, volume.Spacing.Y, volume.Spacing.X];

    // Class names "1" … "K" for label maps outside an nnU-Net dataset, K the largest label of all of them.
    private static string[] LabelNames(LabelMapCase[] cases)
    {
        int largest = 0;
        foreach (LabelMapCase c in cases)
        {
            foreach (string path in new[] { c.PredPath, c.TruthPath })
            {
                Volume<ushort> labels = Nifti.ReadLabels(path);
                largest = Math.Max(largest, labels.Voxels.Max());
            }
        }
        if (largest == 0)
        {
            throw new MedSegException(
                $"No label map of {cases[0].TruthPath} and its siblings holds a foreground label; evaluate against an nnU-Net dataset whose dataset.json names the classes.");
        }
        return Enumerable.Range(1, largest).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    // The image plane as 16-bit values for the overlay (which windows by percentiles).
    private static ushort[] ToGray(ReadOnlySpan<float> plane) => FloatToGray.Map(plane, out _, out _);

    /// <summary>The case a label map file is of (its name without the ending), or null for another file.</summary>
    internal static string? CaseId(string path)
    {
        string name = Path.GetFileName(path);
        string? ending = Endings.FirstOrDefault(e => name.EndsWith(e, StringComparison.Ordinal));
        return ending is null || name.Length == ending.Length ? null : name[..^ending.Length];
    }

    private sealed record LabelMapCase(string Id, string PredPath, string TruthPath, string? ImagePath);
}
