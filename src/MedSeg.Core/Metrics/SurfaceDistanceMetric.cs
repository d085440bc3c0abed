using System.Buffers;
using System.Collections.ObjectModel;
using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Hausdorff distance, percentile Hausdorff distance (HD95) and average symmetric surface distance in mm per
/// (volume, class), between surface voxels as <see cref="SurfaceDistance.Compute"/> measures them, accumulated
/// volume by volume (update, compute, reset) and averaged per class, per volume and overall.
/// </summary>
/// <remarks>
/// Empty masks: both empty, the pair is skipped; exactly one empty, every distance is the volume's diagonal in
/// mm (the largest distance the volume allows, as the BraTS challenge scores a missed or hallucinated region),
/// so a miss costs a finite, comparable amount instead of making the mean infinite. Thread-safe: volumes may be
/// added from several threads; results are ordered by volume id.
/// </remarks>
public sealed class SurfaceDistanceMetric
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HausdorffResult[]> _volumes = new(StringComparer.Ordinal);
    private readonly int _maxDegreeOfParallelism;

    /// <summary>A metric over <paramref name="classes"/>.</summary>
    /// <param name="classes">Class names, in mask order (label k of a label map is the k-th name, 1-based).</param>
    /// <param name="percentile">Percentile of <see cref="DistanceScores.AtPercentile"/>, 0–100.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transforms of one volume; -1 lets the pool decide.</param>
    /// <exception cref="MedSegException">No classes, a repeated name, or a percentile outside 0–100.</exception>
    public SurfaceDistanceMetric(IReadOnlyList<string> classes, double percentile = 95, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0 || new HashSet<string>(classes, StringComparer.Ordinal).Count != classes.Count)
        {
            throw new MedSegException($"Surface distances need one or more distinct class names, got '{string.Join(", ", classes)}'.");
        }
        if (!(percentile is >= 0 and <= 100))
        {
            throw new MedSegException($"Percentile must be between 0 and 100, got {percentile}.");
        }
        Classes = [.. classes];
        Percentile = percentile;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Class names in mask order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The percentile of <see cref="DistanceScores.AtPercentile"/>.</summary>
    public double Percentile { get; }

    /// <summary>Adds one volume, one mask per class.</summary>
    /// <param name="volumeId">Identifier of the volume; each may be added once.</param>
    /// <param name="shape">(H,W) or (D,H,W) of every mask, last axis fastest.</param>
    /// <param name="spacing">Voxel size per axis of <paramref name="shape"/> (mm).</param>
    /// <param name="pred">Per class, the predicted mask; nonzero = foreground.</param>
    /// <param name="truth">Per class, the true mask.</param>
    /// <exception cref="MedSegException">Counts, sizes or spacing are invalid, or the volume was already added.</exception>
    public void Update(string volumeId, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(truth);
        if (pred.Count != Classes.Count || truth.Count != Classes.Count)
        {
            throw new MedSegException(
                $"Volume '{volumeId}' has {pred.Count} predicted and {truth.Count} true masks but there are {Classes.Count} classes ({string.Join(", ", Classes)}).");
        }
        VoxelGrid grid = VoxelGrid.Create(shape, spacing);
        var results = new HausdorffResult[Classes.Count];
        for (int c = 0; c < results.Length; c++)
        {
            results[c] = Measure(pred[c], truth[c], grid);
        }
        Add(volumeId, results);
    }

    /// <summary>Adds one volume as multiclass label maps: 0 is background and label k is class k (1-based).</summary>
    /// <param name="volumeId">Identifier of the volume; each may be added once.</param>
    /// <param name="shape">(H,W) or (D,H,W) of both maps, last axis fastest.</param>
    /// <param name="spacing">Voxel size per axis of <paramref name="shape"/> (mm).</param>
    /// <param name="pred">Predicted labels.</param>
    /// <param name="truth">True labels.</param>
    /// <exception cref="MedSegException">Sizes or spacing are invalid, or the volume was already added.</exception>
    public void UpdateLabels<T>(string volumeId, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, ReadOnlySpan<T> pred, ReadOnlySpan<T> truth)
        where T : unmanaged, IBinaryInteger<T>
    {
        VoxelGrid grid = VoxelGrid.Create(shape, spacing);
        grid.RequireLength(pred.Length, $"predicted label map of '{volumeId}'");
        grid.RequireLength(truth.Length, $"true label map of '{volumeId}'");
        byte[] predMask = ArrayPool<byte>.Shared.Rent(grid.Count);
        byte[] truthMask = ArrayPool<byte>.Shared.Rent(grid.Count);
        try
        {
            var results = new HausdorffResult[Classes.Count];
            for (int c = 0; c < results.Length; c++)
            {
                T label = T.CreateTruncating(c + 1);
                Select(pred, label, predMask.AsSpan(0, grid.Count));
                Select(truth, label, truthMask.AsSpan(0, grid.Count));
                results[c] = Measure(predMask.AsSpan(0, grid.Count), truthMask.AsSpan(0, grid.Count), grid);
            }
            Add(volumeId, results);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(predMask);
            ArrayPool<byte>.Shared.Return(truthMask);
        }
    }

    /// <summary>The means of all volumes added since construction or the last <see cref="Reset"/>.</summary>
    public SurfaceDistanceResult Compute()
    {
        KeyValuePair<string, HausdorffResult[]>[] volumes;
        lock (_gate)
        {
            volumes = [.. _volumes];
        }
        Array.Sort(volumes, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var classMeans = new DistanceMeans[Classes.Count];
        DistanceMeans all = default;
        var perVolume = new Dictionary<string, SurfaceDistanceResult>(volumes.Length, StringComparer.Ordinal);
        foreach ((string id, HausdorffResult[] results) in volumes)
        {
            DistanceMeans volumeMeans = default;
            var volumeClasses = new Dictionary<string, DistanceScores>(Classes.Count, StringComparer.Ordinal);
            for (int c = 0; c < results.Length; c++)
            {
                DistanceMeans own = default(DistanceMeans).Add(results[c]);
                volumeClasses[Classes[c]] = own.ToScores();
                volumeMeans += own;
                classMeans[c] += own;
            }
            all += volumeMeans;
            perVolume[id] = new SurfaceDistanceResult(volumeMeans.ToScores(), volumeClasses, ReadOnlyDictionary<string, SurfaceDistanceResult>.Empty);
        }
        var perClass = new Dictionary<string, DistanceScores>(Classes.Count, StringComparer.Ordinal);
        for (int c = 0; c < Classes.Count; c++)
        {
            perClass[Classes[c]] = classMeans[c].ToScores();
        }
        return new SurfaceDistanceResult(all.ToScores(), perClass, perVolume);
    }

    /// <summary>Forgets all volumes.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _volumes.Clear();
        }
    }

    private HausdorffResult Measure(ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth, VoxelGrid grid)
    {
        double depth = grid.Planar ? 0 : grid.Depth * grid.DepthSpacing;
        double height = grid.Height * grid.HeightSpacing, width = grid.Width * grid.WidthSpacing;
        var diagonal = EmptyPolicy.Constant(Math.Sqrt(depth * depth + height * height + width * width));
        return SurfaceDistance.Measure(pred, truth, grid, PointSet.Surface, directed: false, Percentile,
            diagonal, EmptyPolicy.Skip, _maxDegreeOfParallelism);
    }

    private void Add(string volumeId, HausdorffResult[] results)
    {
        ArgumentNullException.ThrowIfNull(volumeId);
        lock (_gate)
        {
            if (!_volumes.TryAdd(volumeId, results))
            {
                throw new MedSegException($"Volume '{volumeId}' was given twice; each volume can be measured once.");
            }
        }
    }

    // mask = 1 where labels equal `label`, else 0.
    private static void Select<T>(ReadOnlySpan<T> labels, T label, Span<byte> mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = 0; i < labels.Length; i++)
        {
            mask[i] = labels[i] == label ? (byte)1 : (byte)0;
        }
    }
}
