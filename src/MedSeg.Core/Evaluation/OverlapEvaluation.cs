using System.Numerics;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// The overlap metrics of <c>medseg evaluate</c> (dice, iou, …): an <see cref="OverlapMetric"/> at the chosen
/// aggregation and empty policy, surface distances in mm per (case, class), and the same overlap metric for an
/// all-empty prediction. Cases may be added from several threads.
/// </summary>
internal sealed class OverlapEvaluation
{
    private readonly EvaluationOptions _options;
    private readonly OverlapMetric _overlap;
    private readonly OverlapMetric _emptyOverlap;
    private readonly SurfaceDistanceMetric _distances;
    private int _slices;

    /// <summary>An evaluation of <paramref name="classes"/> whose overlap ratios default to <paramref name="natural"/>.</summary>
    public OverlapEvaluation(IReadOnlyList<string> classes, EvaluationOptions options, OverlapAggregation natural)
    {
        _options = options;
        Aggregation = options.AggregationOr(natural);
        _overlap = new OverlapMetric(classes, Aggregation, options.EmptyOrSkip);
        _emptyOverlap = new OverlapMetric(classes, Aggregation, options.EmptyOrSkip);
        _distances = new SurfaceDistanceMetric(classes, maxDegreeOfParallelism: 1);
    }

    /// <summary>The aggregation in force.</summary>
    public OverlapAggregation Aggregation { get; }

    /// <summary>Adds one case as per-class masks of <paramref name="shape"/> (D,H,W) with <paramref name="spacing"/> in mm.</summary>
    public void AddMasks(string caseId, int[] shape, double[] spacing, byte[][] pred, byte[][] truth)
    {
        int slice = shape[1] * shape[2];
        _overlap.Update(caseId, slice, pred, truth);
        byte[] nothing = new byte[truth[0].Length];
        _emptyOverlap.Update(caseId, slice, truth.Select(_ => nothing).ToArray(), truth);
        _distances.Update(caseId, shape, spacing, pred, truth);
        Interlocked.Add(ref _slices, shape[0]);
    }

    /// <summary>Adds one case as label maps (0 background, k = class k) of <paramref name="shape"/> with <paramref name="spacing"/> in mm; slices are planes of the last two axes.</summary>
    public void AddLabels<T>(string caseId, int[] shape, double[] spacing, T[] pred, T[] truth)
        where T : unmanaged, IBinaryInteger<T>
    {
        int slice = shape[1] * shape[2];
        _overlap.UpdateLabels<T>(caseId, slice, pred, truth);
        _emptyOverlap.UpdateLabels<T>(caseId, slice, new T[truth.Length], truth);
        _distances.UpdateLabels<T>(caseId, shape, spacing, pred, truth);
        Interlocked.Add(ref _slices, shape[0]);
    }

    /// <summary>The report of everything added; distances are in <paramref name="distanceUnit"/> (the unit of the spacing given).</summary>
    public EvaluationReport Report(string caseKind, string distanceUnit = EvaluationReport.MillimetreUnit)
    {
        OverlapMeasure measure = _options.Measure;
        OverlapResult overlap = _overlap.Compute();
        SurfaceDistanceResult distances = _distances.Compute();
        var perClass = overlap.PerClass.ToDictionary(
            p => p.Key, p => EvaluationFigures.From(measure, p.Value, distances.PerClass[p.Key]));
        var perCase = overlap.PerVolume.ToDictionary(p => p.Key, p =>
        {
            SurfaceDistanceResult caseDistances = distances.PerVolume[p.Key];
            return new EvaluationCase(
                EvaluationFigures.From(measure, p.Value.Overall, caseDistances.Overall),
                p.Value.PerClass.ToDictionary(c => c.Key, c => EvaluationFigures.From(measure, c.Value, caseDistances.PerClass[c.Key])));
        });
        return new EvaluationReport(_options.Metric, Aggregation, _options.EmptyOrSkip, distanceUnit,
            EvaluationFigures.From(measure, overlap.Overall, distances.Overall), perClass, perCase,
            _emptyOverlap.Compute().Overall.Get(measure), caseKind, _slices);
    }
}
