using System.Buffers;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Precision–recall curves, average precision and the F1-optimal threshold per class from probability maps,
/// accumulated batch by batch (update, compute, reset) in bounded memory: per class, a histogram of positive
/// and of negative voxels over <see cref="Bins"/> probability bins (16 KB per class at the default 1001 bins),
/// never the probabilities themselves.
/// </summary>
/// <remarks>
/// Thresholds are k/(bins − 1) for k = 0 … bins − 1; a probability p falls in bin ⌊p·(bins − 1) + 0.001⌋, so it
/// counts as positive at the thresholds up to p. The 0.001 of a bin absorbs the rounding of single-precision
/// probabilities: 0.9f is 0.89999998, and a probability meant to be a grid value must land on its own threshold.
/// Thread-safe: updates may come from several threads.
/// </remarks>
public sealed class PrecisionRecallMetric
{
    /// <summary>The default number of thresholds: 0, 0.001, …, 1.</summary>
    public const int DefaultBins = 1001;

    // Fraction of a bin added before rounding down; see the remarks.
    private const float BinTolerance = 0.001f;

    private readonly object _gate = new();
    private readonly long[][] _positives;
    private readonly long[][] _negatives;

    /// <summary>A metric over <paramref name="classes"/> with thresholds on a grid of <paramref name="bins"/> values.</summary>
    /// <param name="classes">Class names, in the order of the probability maps given to <see cref="Update(IReadOnlyList{float[]}, IReadOnlyList{byte[]})"/>.</param>
    /// <param name="bins">Number of thresholds (at least 2), evenly spaced from 0 to 1.</param>
    /// <exception cref="MedSegException">No classes, a repeated name, or fewer than 2 bins.</exception>
    public PrecisionRecallMetric(IReadOnlyList<string> classes, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0 || new HashSet<string>(classes, StringComparer.Ordinal).Count != classes.Count)
        {
            throw new MedSegException($"Precision–recall needs one or more distinct class names, got '{string.Join(", ", classes)}'.");
        }
        if (bins < 2)
        {
            throw new MedSegException($"Precision–recall needs at least 2 threshold bins, got {bins}.");
        }
        Classes = [.. classes];
        Bins = bins;
        _positives = Classes.Select(_ => new long[bins]).ToArray();
        _negatives = Classes.Select(_ => new long[bins]).ToArray();
    }

    /// <summary>Class names in probability-map order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of thresholds.</summary>
    public int Bins { get; }

    /// <summary>Adds one probability map and truth mask per class (e.g. a batch, or a whole volume).</summary>
    /// <param name="probabilities">Per class, probabilities in 0–1 (sigmoid or softmax outputs), any layout.</param>
    /// <param name="truth">Per class, the true mask in the same layout; nonzero = positive.</param>
    /// <exception cref="MedSegException">Counts or lengths differ, or a probability is outside 0–1.</exception>
    public void Update(IReadOnlyList<float[]> probabilities, IReadOnlyList<byte[]> truth)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(truth);
        if (probabilities.Count != Classes.Count || truth.Count != Classes.Count)
        {
            throw new MedSegException(
                $"Got {probabilities.Count} probability maps and {truth.Count} truth masks but there are {Classes.Count} classes ({string.Join(", ", Classes)}).");
        }
        for (int c = 0; c < Classes.Count; c++)
        {
            Update(c, probabilities[c], truth[c]);
        }
    }

    /// <summary>Adds the probabilities of class <paramref name="classIndex"/> against its truth mask.</summary>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    /// <param name="probabilities">Probabilities in 0–1, any layout.</param>
    /// <param name="truth">True mask in the same layout; nonzero = positive.</param>
    /// <exception cref="MedSegException">Lengths differ, or a probability is outside 0–1 (or NaN).</exception>
    public void Update(int classIndex, ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> truth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Classes.Count);
        if (probabilities.Length != truth.Length)
        {
            throw new MedSegException(
                $"Class '{Classes[classIndex]}' has {probabilities.Length} probabilities but {truth.Length} truth voxels; they must match.");
        }
        long[] rented = ArrayPool<long>.Shared.Rent(2 * Bins);
        try
        {
            Span<long> histogram = rented.AsSpan(0, 2 * Bins);
            histogram.Clear();
            int last = Bins - 1;
            for (int i = 0; i < probabilities.Length; i++)
            {
                float p = probabilities[i];
                if (!(p >= 0f && p <= 1f))
                {
                    throw new MedSegException(
                        $"Probability {p} at voxel {i} of class '{Classes[classIndex]}' is outside 0–1; pass sigmoid or softmax outputs, not logits.");
                }
                int bin = (int)(p * last + BinTolerance);
                histogram[truth[i] != 0 ? bin : Bins + bin]++;
            }
            lock (_gate)
            {
                long[] positives = _positives[classIndex], negatives = _negatives[classIndex];
                for (int k = 0; k < Bins; k++)
                {
                    positives[k] += histogram[k];
                    negatives[k] += histogram[Bins + k];
                }
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <summary>The curves of everything added since construction or the last <see cref="Reset"/>, in class order.</summary>
    public PrecisionRecallResult Compute()
    {
        lock (_gate)
        {
            return new PrecisionRecallResult(Classes
                .Select((name, c) => PrecisionRecallCurve.FromHistogram(name, _positives[c], _negatives[c]))
                .ToArray());
        }
    }

    /// <summary>Forgets everything added.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (long[] histogram in _positives.Concat(_negatives))
            {
                Array.Clear(histogram);
            }
        }
    }
}
