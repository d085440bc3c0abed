using System.Collections.ObjectModel;
using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Dice, IoU, precision, recall, F1 and specificity per class, accumulated batch by batch (update, compute,
/// reset) for binary, multilabel (one mask per class) or multiclass (label map) predictions, 2-D or 3-D. Only
/// counts and running means are kept per (volume, class), never masks, so memory does not grow with the data.
/// </summary>
/// <remarks>
/// <para>A volume is anything with an id (a case, a case-day, a 2-D image); its voxels arrive as whole slices of
/// <c>sliceSize</c> voxels (H·W of a D×H×W row-major volume, or X·Y of a NIfTI X×Y×Z volume), in one update or
/// spread over several. The <see cref="OverlapAggregation"/> says where ratios are taken: per (slice, class),
/// per (volume, class), or per class over everything; <see cref="BothEmpty"/> says what a ratio is when
/// prediction and truth are both empty there (<see cref="EmptyPolicy.Skip"/> leaves it out of the means).</para>
/// <para>Thread-safe: updates may come from several threads. Results are ordered by volume id, and are independent
/// of the order of updates except for the rounding of sums inside a volume that arrives in several updates.</para>
/// </remarks>
public sealed class OverlapMetric
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OverlapTally[]> _volumes = new(StringComparer.Ordinal);

    /// <summary>A metric over <paramref name="classes"/> with an explicit aggregation level and empty policy.</summary>
    /// <param name="classes">Class names in the order of the masks given to <see cref="Update(string, int, IReadOnlyList{byte[]}, IReadOnlyList{byte[]})"/>
    /// (label k of a label map is the k-th name, 1-based).</param>
    /// <param name="aggregation">Where ratios are taken before averaging.</param>
    /// <param name="bothEmpty">The ratio when prediction and truth are both empty where it is taken.</param>
    /// <exception cref="MedSegException">No classes, or a name repeats.</exception>
    public OverlapMetric(IReadOnlyList<string> classes, OverlapAggregation aggregation, EmptyPolicy bothEmpty)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new MedSegException("The overlap metric needs at least one class name.");
        }
        if (new HashSet<string>(classes, StringComparer.Ordinal).Count != classes.Count)
        {
            throw new MedSegException($"Class names must be distinct, got {string.Join(", ", classes)}.");
        }
        Classes = [.. classes];
        Aggregation = aggregation;
        BothEmpty = bothEmpty;
    }

    /// <summary>Class names in mask order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Where ratios are taken.</summary>
    public OverlapAggregation Aggregation { get; }

    /// <summary>The ratio of a both-empty (slice, volume or class).</summary>
    public EmptyPolicy BothEmpty { get; }

    /// <summary>Adds slices of volume <paramref name="volumeId"/>, one mask per class (binary: one class).</summary>
    /// <param name="volumeId">The volume these slices belong to; later updates with the same id add to it.</param>
    /// <param name="sliceSize">Voxels per slice (H·W); each mask holds a whole number of slices.</param>
    /// <param name="pred">Per class, the predicted mask of these slices, slice after slice; nonzero = positive.</param>
    /// <param name="truth">Per class, the true mask, same layout.</param>
    /// <exception cref="MedSegException">Class counts or mask sizes do not match.</exception>
    public void Update(string volumeId, int sliceSize, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(truth);
        if (pred.Count != Classes.Count || truth.Count != Classes.Count)
        {
            throw new MedSegException(
                $"Volume '{volumeId}' has {pred.Count} predicted and {truth.Count} true masks but there are {Classes.Count} classes ({string.Join(", ", Classes)}).");
        }
        var tallies = new OverlapTally[Classes.Count];
        for (int c = 0; c < tallies.Length; c++)
        {
            tallies[c] = Tally(volumeId, c, sliceSize, pred[c], truth[c]);
        }
        Merge(volumeId, tallies);
    }

    /// <summary>Adds slices of one class of volume <paramref name="volumeId"/> (e.g. one channel of a batch).</summary>
    /// <param name="volumeId">The volume these slices belong to.</param>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    /// <param name="sliceSize">Voxels per slice; the masks hold a whole number of slices.</param>
    /// <param name="pred">Predicted mask, slice after slice; nonzero = positive.</param>
    /// <param name="truth">True mask, same layout.</param>
    /// <exception cref="MedSegException">Mask sizes do not match.</exception>
    public void Update(string volumeId, int classIndex, int sliceSize, ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Classes.Count);
        var tallies = new OverlapTally[Classes.Count];
        tallies[classIndex] = Tally(volumeId, classIndex, sliceSize, pred, truth);
        Merge(volumeId, tallies);
    }

    /// <summary>
    /// Adds slices of volume <paramref name="volumeId"/> as multiclass label maps: 0 is background and label k is
    /// class k (the k-th name of <see cref="Classes"/>, 1-based).
    /// </summary>
    /// <param name="volumeId">The volume these slices belong to.</param>
    /// <param name="sliceSize">Voxels per slice; the maps hold a whole number of slices.</param>
    /// <param name="pred">Predicted labels, slice after slice.</param>
    /// <param name="truth">True labels, same layout.</param>
    /// <exception cref="MedSegException">Sizes do not match, or a label is not 0 to the number of classes.</exception>
    public void UpdateLabels<T>(string volumeId, int sliceSize, ReadOnlySpan<T> pred, ReadOnlySpan<T> truth)
        where T : unmanaged, IBinaryInteger<T>
    {
        int slices = CheckSlices(volumeId, sliceSize, pred.Length, truth.Length);
        int classes = Classes.Count;
        var tallies = new OverlapTally[classes];
        Span<long> truePositive = new long[classes + 1], falsePositive = new long[classes + 1], falseNegative = new long[classes + 1];
        for (int s = 0; s < slices; s++)
        {
            truePositive.Clear();
            falsePositive.Clear();
            falseNegative.Clear();
            LabelCounts.Add(pred.Slice(s * sliceSize, sliceSize), truth.Slice(s * sliceSize, sliceSize),
                truePositive, falsePositive, falseNegative, volumeId);
            for (int c = 0; c < classes; c++)
            {
                long tp = truePositive[c + 1], fp = falsePositive[c + 1], fn = falseNegative[c + 1];
                tallies[c] = tallies[c].AddSlice(new ConfusionCounts(tp, fp, fn, sliceSize - tp - fp - fn), BothEmpty);
            }
        }
        Merge(volumeId, tallies);
    }

    /// <summary>The scores of everything added since construction or the last <see cref="Reset"/>.</summary>
    public OverlapResult Compute()
    {
        KeyValuePair<string, OverlapTally[]>[] volumes;
        lock (_gate)
        {
            volumes = _volumes.Select(v => KeyValuePair.Create(v.Key, (OverlapTally[])v.Value.Clone())).ToArray();
        }
        Array.Sort(volumes, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        int classCount = Classes.Count;
        var classMeans = new OverlapMeans[classCount];
        var classCounts = new ConfusionCounts[classCount];
        OverlapMeans all = default;
        var perVolume = new Dictionary<string, OverlapResult>(volumes.Length, StringComparer.Ordinal);
        foreach ((string id, OverlapTally[] tallies) in volumes)
        {
            OverlapMeans volumeMeans = default;
            var volumeClasses = new Dictionary<string, OverlapScores>(classCount, StringComparer.Ordinal);
            var volumeCounts = new Dictionary<string, ConfusionCounts>(classCount, StringComparer.Ordinal);
            for (int c = 0; c < classCount; c++)
            {
                // A class never updated for this volume has no voxels: nothing to score, not "both empty".
                OverlapMeans own = Aggregation == OverlapAggregation.Slice || tallies[c].Counts.Total == 0
                    ? tallies[c].Slices
                    : default(OverlapMeans).Add(tallies[c].Counts, BothEmpty);
                volumeClasses[Classes[c]] = own.ToScores();
                volumeCounts[Classes[c]] = tallies[c].Counts;
                volumeMeans += own;
                classMeans[c] += own;
                classCounts[c] += tallies[c].Counts;
            }
            all += volumeMeans;
            perVolume[id] = new OverlapResult(volumeMeans.ToScores(), volumeClasses,
                ReadOnlyDictionary<string, OverlapResult>.Empty, volumeCounts);
        }
        if (Aggregation == OverlapAggregation.Global)
        {
            all = default;
            for (int c = 0; c < classCount; c++)
            {
                classMeans[c] = default(OverlapMeans).Add(classCounts[c], BothEmpty);
                all += classMeans[c];
            }
        }
        var perClass = new Dictionary<string, OverlapScores>(classCount, StringComparer.Ordinal);
        var counts = new Dictionary<string, ConfusionCounts>(classCount, StringComparer.Ordinal);
        for (int c = 0; c < classCount; c++)
        {
            perClass[Classes[c]] = classMeans[c].ToScores();
            counts[Classes[c]] = classCounts[c];
        }
        return new OverlapResult(all.ToScores(), perClass, perVolume, counts);
    }

    /// <summary>Forgets all volumes.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _volumes.Clear();
        }
    }

    private OverlapTally Tally(string volumeId, int classIndex, int sliceSize, ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth)
    {
        int slices = CheckSlices(volumeId, sliceSize, pred.Length, truth.Length, Classes[classIndex]);
        OverlapTally tally = default;
        for (int s = 0; s < slices; s++)
        {
            tally = tally.AddSlice(ConfusionCounts.Of(pred.Slice(s * sliceSize, sliceSize), truth.Slice(s * sliceSize, sliceSize)), BothEmpty);
        }
        return tally;
    }

    private static int CheckSlices(string volumeId, int sliceSize, int predLength, int truthLength, string? className = null)
    {
        ArgumentNullException.ThrowIfNull(volumeId);
        string what = className is null ? $"volume '{volumeId}'" : $"class '{className}' of volume '{volumeId}'";
        if (sliceSize <= 0)
        {
            throw new MedSegException($"The slice size of {what} is {sliceSize}; it must be the positive number of voxels per slice.");
        }
        if (predLength != truthLength || predLength % sliceSize != 0)
        {
            throw new MedSegException(
                $"The prediction of {what} has {predLength} voxels and the truth {truthLength}; both must be the same whole number of {sliceSize}-voxel slices.");
        }
        return predLength / sliceSize;
    }

    private void Merge(string volumeId, OverlapTally[] tallies)
    {
        lock (_gate)
        {
            if (!_volumes.TryGetValue(volumeId, out OverlapTally[]? kept))
            {
                _volumes[volumeId] = tallies;
                return;
            }
            for (int c = 0; c < kept.Length; c++)
            {
                kept[c] += tallies[c];
            }
        }
    }
}
