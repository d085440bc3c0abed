using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Scores a Kaggle submission CSV against a labelled UW-Madison-layout dataset. Case-days with at least one
/// submission row are evaluated (so a submission for one fold is scored against the full train.csv); inside them,
/// a missing (slice, class) row counts as an empty prediction. Case-days are scored in parallel.
/// </summary>
public sealed class SubmissionEvaluator : IEvaluator
{
    private readonly string _predPath;
    private readonly UwMadisonDataset _truth;
    private readonly Dictionary<string, string[]> _predictions;
    private readonly UwCaseDay[] _caseDays;

    private SubmissionEvaluator(string predPath, UwMadisonDataset truth, Dictionary<string, string[]> predictions, UwCaseDay[] caseDays)
    {
        _predPath = predPath;
        _truth = truth;
        _predictions = predictions;
        _caseDays = caseDays;
    }

    /// <summary>Class names of the dataset, in mask order.</summary>
    public IReadOnlyList<string> Classes => _truth.Classes;

    /// <inheritdoc />
    public string DefaultMetric => EvaluationOptions.UwMadison;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Reads the submission and the dataset's labels (not its images) and checks they belong together.</summary>
    /// <param name="predPath">Submission CSV (<c>id,class,predicted</c>).</param>
    /// <param name="truthPath">UW-Madison data folder with <c>train.csv</c>.</param>
    /// <exception cref="MedSegException">A file is missing or malformed, or the submission names slices or classes the dataset lacks.</exception>
    public static SubmissionEvaluator Load(string predPath, string truthPath)
    {
        var truth = UwMadisonDataset.Load(truthPath);
        if (!truth.HasLabels)
        {
            throw new MedSegException($"--truth {truthPath} has no train.csv; evaluation needs labelled data.");
        }
        var predictions = Index(SubmissionCsv.Read(predPath), predPath, truth);
        var caseDays = truth.CaseDays.Where(cd => cd.Slices.Any(s => predictions.ContainsKey(s.Id.ToString()))).ToArray();
        if (caseDays.Length == 0)
        {
            throw new MedSegException($"--pred {predPath} has no row for any slice of {truthPath}; predict that dataset first.");
        }
        return new SubmissionEvaluator(predPath, truth, predictions, caseDays)
        {
            Warnings = MissingPredictions.Warn(truth.CaseDays.Select(cd => cd.Id), caseDays.Select(cd => cd.Id).ToHashSet(StringComparer.Ordinal), "case-day", predPath),
        };
    }

    /// <summary>
    /// Scores the submission with <paramref name="options"/>; overlap metrics aggregate per slice unless told otherwise.
    /// With <see cref="EvaluationOptions.Probabilities"/>, each case-day's <c>CASEDAY.npy</c> there adds to per-class
    /// precision–recall.
    /// </summary>
    public EvaluationReport Evaluate(EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ProbabilityEvaluation? probabilities = ProbabilityEvaluation.For(options, Classes);
        return (options.IsUwMadison ? ScoreUwMadison(options, probabilities) : ScoreOverlap(options, probabilities)) with
        {
            PrecisionRecall = probabilities?.Compute(),
        };
    }

    private EvaluationReport ScoreUwMadison(EvaluationOptions options, ProbabilityEvaluation? probabilities)
    {
        IUwMadisonMetric score = CreateUwMadison(options.Metric);
        ForEachCaseDay(probabilities, (caseDay, shape, _, pred, truth) => score.Update(caseDay.Id, shape[0], shape[1], shape[2], pred, truth));
        UwMadisonResult result = score.Compute();
        bool truthHasForeground = _caseDays.Any(cd => cd.Slices.Any(s => s.Rles.Any(rle => rle.Length > 0)));
        return new EvaluationReport(options.Metric, null, null, EvaluationReport.NormalisedUnit,
            EvaluationFigures.From(result.Overall),
            result.PerClass.ToDictionary(p => p.Key, p => EvaluationFigures.From(p.Value)),
            result.PerCase.ToDictionary(p => p.Key, p => new EvaluationCase(
                EvaluationFigures.From(p.Value.Overall), p.Value.PerClass.ToDictionary(c => c.Key, c => EvaluationFigures.From(c.Value)))),
            UwMadisonMetric.EmptyPredictionScore(truthHasForeground), "case-day", _caseDays.Sum(cd => cd.Slices.Count));
    }

    private EvaluationReport ScoreOverlap(EvaluationOptions options, ProbabilityEvaluation? probabilities)
    {
        var overlap = new OverlapEvaluation(Classes, options, OverlapAggregation.Slice);
        ForEachCaseDay(probabilities, (caseDay, shape, spacing, pred, truth) => overlap.AddMasks(caseDay.Id, shape, spacing, pred, truth));
        return overlap.Report("case-day");
    }

    /// <summary>
    /// The <paramref name="slices"/> worst (slice, class) pairs by Dice (both-empty pairs left out; ties: larger
    /// masks first) within the <paramref name="cases"/> case-days of <paramref name="report"/> with the lowest
    /// score, each rendered with its truth and prediction outlined on the image.
    /// </summary>
    /// <exception cref="MedSegException">An image cannot be read.</exception>
    public IReadOnlyList<WorstSlice> FindWorstSlices(EvaluationReport report, int cases = 4, int slices = 8)
    {
        ArgumentNullException.ThrowIfNull(report);
        var worstIds = report.LowestScoringCases(cases).ToHashSet(StringComparer.Ordinal);
        var candidates = new List<(UwCaseDay CaseDay, int Slice, int Class, ConfusionCounts Counts)>();
        foreach (UwCaseDay caseDay in _caseDays.Where(cd => worstIds.Contains(cd.Id)))
        {
            UwSlice first = caseDay.Slices[0];
            int plane = first.Height * first.Width;
            byte[][] truth = CaseDayMasks.Truth(caseDay, Classes.Count), pred = Decode(caseDay);
            for (int c = 0; c < Classes.Count; c++)
            {
                for (int s = 0; s < caseDay.Slices.Count; s++)
                {
                    var counts = ConfusionCounts.Of(pred[c].AsSpan(s * plane, plane), truth[c].AsSpan(s * plane, plane));
                    if (!double.IsNaN(counts.Dice(EmptyPolicy.Skip)))
                    {
                        candidates.Add((caseDay, s, c, counts));
                    }
                }
            }
        }
        return candidates
            .OrderBy(x => x.Counts.Dice(EmptyPolicy.Skip))
            .ThenByDescending(x => x.Counts.TruePositive + x.Counts.FalsePositive + x.Counts.FalseNegative)
            .Take(slices)
            .Select(x => Render(x.CaseDay, x.Slice, x.Class, x.Counts))
            .ToArray();
    }

    private WorstSlice Render(UwCaseDay caseDay, int sliceIndex, int classIndex, ConfusionCounts counts)
    {
        UwSlice slice = caseDay.Slices[sliceIndex];
        byte[] truth = slice.DecodeMask(classIndex);
        var pred = new byte[truth.Length];
        if (_predictions.TryGetValue(slice.Id.ToString(), out var rles) && !string.IsNullOrEmpty(rles[classIndex]))
        {
            Rle.Decode(rles[classIndex], pred, slice.Height, slice.Width, $"{_predPath} ({slice.Id}, {Classes[classIndex]})");
        }
        return WorstSlice.Draw(caseDay.Id, slice.Id.ToString(), Classes[classIndex], classIndex, counts,
            slice.ReadImage(), slice.Height, slice.Width, truth, pred);
    }

    // Decodes truth and prediction of each case-day (several case-days at once, into reused buffers) and hands
    // them to `score` with the case-day's shape (D,H,W) and spacing in mm (slice thickness, row spacing, column
    // spacing); the case-day's probability maps, when asked for, are counted against the same truth.
    private void ForEachCaseDay(ProbabilityEvaluation? probabilities, Action<UwCaseDay, int[], double[], byte[][], byte[][]> score)
    {
        var buffers = new MaskBufferPool();
        ParallelCases.ForEach(_caseDays, caseDay =>
        {
            UwSlice first = caseDay.Slices[0];
            int[] shape = [caseDay.Slices.Count, first.Height, first.Width];
            double[] spacing = [caseDay.SliceThickness, first.SpacingY, first.SpacingX];
            byte[][] truth = buffers.Rent(Classes.Count, shape[0] * shape[1] * shape[2]);
            byte[][] pred = buffers.Rent(Classes.Count, truth[0].Length);
            try
            {
                CaseDayMasks.DecodeTruth(caseDay, truth);
                Decode(caseDay, pred);
                score(caseDay, shape, spacing, pred, truth);
                probabilities?.AddMasks(caseDay.Id, shape, truth);
            }
            finally
            {
                buffers.Return(truth);
                buffers.Return(pred);
            }
        });
    }

    private IUwMadisonMetric CreateUwMadison(string metric) => metric == EvaluationOptions.UwMadison
        ? new UwMadisonScore(Classes, maxDegreeOfParallelism: 1)
        : new UwMadisonDirectedScore(Classes, maxDegreeOfParallelism: 1);

    /// <summary>Submission RLE by slice id, then class index; every id and class must exist in the truth.</summary>
    internal static Dictionary<string, string[]> Index(IReadOnlyList<SubmissionRow> rows, string predPath, UwMadisonDataset truth)
    {
        var ids = truth.Slices.Select(s => s.Id.ToString()).ToHashSet();
        var byId = new Dictionary<string, string[]>();
        var lines = new Dictionary<(string Id, int Class), int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var c = IndexOf(truth.Classes, row.ClassName);
            if (c < 0)
            {
                throw new MedSegException(
                    $"{predPath} line {i + 2}: class '{row.ClassName}' is not one of {string.Join(", ", truth.Classes)} in {truth.Root}.");
            }
            if (!ids.Contains(row.Id))
            {
                throw new MedSegException($"{predPath} line {i + 2}: id '{row.Id}' is not a slice of {truth.Root}.");
            }
            if (!byId.TryGetValue(row.Id, out var rles))
            {
                byId[row.Id] = rles = new string[truth.Classes.Count];
            }
            if (lines.TryGetValue((row.Id, c), out var first) && rles[c] != row.Rle)
            {
                throw new MedSegException(
                    $"{predPath} line {i + 2} gives {row.Id} {row.ClassName} another mask than line {first} did; keep one row per slice and class.");
            }
            lines.TryAdd((row.Id, c), i + 2);
            rles[c] = row.Rle;
        }
        return byId;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    private byte[][] Decode(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        var masks = Classes.Select(_ => new byte[caseDay.Slices.Count * first.Height * first.Width]).ToArray();
        Decode(caseDay, masks);
        return masks;
    }

    // Decodes the predicted masks of the case-day into `masks` (one D×H×W array per class), overwriting every
    // voxel: a slice or class without a row, or with an empty RLE, is empty.
    private void Decode(UwCaseDay caseDay, byte[][] masks) => Decode(_predictions, caseDay, masks, Classes, _predPath);

    /// <summary>
    /// Decodes the predicted masks of <paramref name="caseDay"/> from <paramref name="predictions"/> (RLE by slice id,
    /// then class, as <see cref="Index"/> gives them) into <paramref name="masks"/> (one D×H×W array per class).
    /// </summary>
    internal static void Decode(
        IReadOnlyDictionary<string, string[]> predictions, UwCaseDay caseDay, byte[][] masks, IReadOnlyList<string> classes, string predPath)
    {
        var first = caseDay.Slices[0];
        var plane = first.Height * first.Width;
        for (var s = 0; s < caseDay.Slices.Count; s++)
        {
            var slice = caseDay.Slices[s];
            predictions.TryGetValue(slice.Id.ToString(), out var rles);
            for (var c = 0; c < classes.Count; c++)
            {
                Span<byte> target = masks[c].AsSpan(s * plane, plane);
                if (rles is null || string.IsNullOrEmpty(rles[c]))
                {
                    target.Clear();
                    continue;
                }
                Rle.Decode(rles[c], target, slice.Height, slice.Width, $"{predPath} ({slice.Id}, {classes[c]})");
            }
        }
    }
}
