using System.Collections.ObjectModel;

namespace MedSeg.Core.Metrics;

/// <summary>
/// The bookkeeping shared by the UW-Madison metrics: validates case-days, scores every (slice, class) pair,
/// asks the metric for its distances, and averages per class, per case-day and overall. Accumulation is
/// locked, so case-days may be added from several threads; results are averaged in case-day id order, so they
/// do not depend on the order of the updates.
/// </summary>
internal sealed class UwMadisonAccumulator
{
    private readonly object _gate = new();
    private readonly List<UwMadisonCase> _cases = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Func<CaseDayMasks, CaseDayDistances> _measure;

    /// <summary>An accumulator for <paramref name="classes"/> whose distances come from <paramref name="measure"/>.</summary>
    /// <exception cref="MedSegException">No classes, or a name repeats.</exception>
    public UwMadisonAccumulator(IReadOnlyList<string> classes, Func<CaseDayMasks, CaseDayDistances> measure)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new MedSegException("The UW-Madison metric needs at least one class name.");
        }
        if (new HashSet<string>(classes, StringComparer.Ordinal).Count != classes.Count)
        {
            throw new MedSegException($"Class names must be distinct, got {string.Join(", ", classes)}.");
        }
        Classes = [.. classes];
        _measure = measure;
    }

    /// <summary>Class names in mask order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Scores one case-day and adds it; see <see cref="IUwMadisonMetric.Update"/>.</summary>
    public void Update(string caseDayId, int depth, int height, int width, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth)
    {
        CaseDayMasks masks = Validate(caseDayId, depth, height, width, pred, truth);
        int plane = height * width;
        var overlap = new OverlapMeans[Classes.Count];
        for (int c = 0; c < Classes.Count; c++)
        {
            for (int z = 0; z < depth; z++)
            {
                overlap[c] = overlap[c].Add(
                    ConfusionCounts.Of(pred[c].AsSpan(z * plane, plane), truth[c].AsSpan(z * plane, plane)), EmptyPolicy.Skip);
            }
        }
        var scored = new UwMadisonCase(caseDayId, overlap, _measure(masks));
        lock (_gate)
        {
            if (!_ids.Add(caseDayId))
            {
                throw new MedSegException($"Case-day '{caseDayId}' was given twice; each case-day can be scored once.");
            }
            _cases.Add(scored);
        }
    }

    /// <summary>Averages everything added so far.</summary>
    public UwMadisonResult Compute()
    {
        UwMadisonCase[] cases;
        lock (_gate)
        {
            cases = [.. _cases];
        }
        Array.Sort(cases, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        int classCount = Classes.Count;
        var classOverlap = new OverlapMeans[classCount];
        var classDistances = new DistanceMeans[classCount];
        OverlapMeans allOverlap = default;
        DistanceMeans allDistances = default;
        var perCase = new Dictionary<string, UwMadisonResult>(cases.Length, StringComparer.Ordinal);
        foreach (UwMadisonCase scored in cases)
        {
            OverlapMeans caseOverlap = default;
            var caseClasses = new Dictionary<string, UwMadisonMetrics>(classCount, StringComparer.Ordinal);
            for (int c = 0; c < classCount; c++)
            {
                HausdorffResult distance = scored.Distances.PerClass[c];
                caseClasses[Classes[c]] = UwMadisonMetrics.From(scored.Overlap[c], default(DistanceMeans).Add(distance));
                caseOverlap += scored.Overlap[c];
                classOverlap[c] += scored.Overlap[c];
                classDistances[c] = classDistances[c].Add(distance);
            }
            DistanceMeans caseDistances = default;
            foreach (HausdorffResult distance in scored.Distances.Scored)
            {
                caseDistances = caseDistances.Add(distance);
            }
            allOverlap += caseOverlap;
            allDistances += caseDistances;
            perCase[scored.Id] = new UwMadisonResult(
                UwMadisonMetrics.From(caseOverlap, caseDistances),
                caseClasses,
                ReadOnlyDictionary<string, UwMadisonResult>.Empty);
        }
        var perClass = new Dictionary<string, UwMadisonMetrics>(classCount, StringComparer.Ordinal);
        for (int c = 0; c < classCount; c++)
        {
            perClass[Classes[c]] = UwMadisonMetrics.From(classOverlap[c], classDistances[c]);
        }
        return new UwMadisonResult(UwMadisonMetrics.From(allOverlap, allDistances), perClass, perCase);
    }

    /// <summary>Forgets all case-days.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _cases.Clear();
            _ids.Clear();
        }
    }

    private CaseDayMasks Validate(
        string caseDayId, int depth, int height, int width, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth)
    {
        ArgumentNullException.ThrowIfNull(caseDayId);
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(truth);
        if (depth <= 0 || height <= 0 || width <= 0)
        {
            throw new MedSegException(
                $"Case-day '{caseDayId}' has shape {depth}×{height}×{width}; every extent must be positive.");
        }
        long count = (long)depth * height * width;
        if (count > Array.MaxLength)
        {
            throw new MedSegException($"Case-day '{caseDayId}' has {count} voxels, more than MedSeg's limit of {Array.MaxLength}.");
        }
        foreach ((IReadOnlyList<byte[]> masks, string what) in new[] { (pred, "predicted"), (truth, "true") })
        {
            if (masks.Count != Classes.Count)
            {
                throw new MedSegException(
                    $"Case-day '{caseDayId}' has {masks.Count} {what} masks but there are {Classes.Count} classes ({string.Join(", ", Classes)}).");
            }
            for (int c = 0; c < masks.Count; c++)
            {
                if (masks[c] is null || masks[c].Length != count)
                {
                    throw new MedSegException(
                        $"The {what} '{Classes[c]}' mask of case-day '{caseDayId}' has {masks[c]?.Length ?? 0} voxels; {depth}×{height}×{width} needs {count}.");
                }
            }
        }
        return new CaseDayMasks(depth, height, width, pred, truth);
    }
}
