using System.Collections.Concurrent;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Reusable sets of per-class mask arrays of an exact length (the metrics take whole D×H×W arrays), so scoring
/// case-day after case-day does not allocate, and the runtime need not zero, tens of megabytes each time. Keeps
/// at most <see cref="MaxKept"/> sets; contents are not cleared between uses.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class MaskBufferPool
{
    private readonly ConcurrentBag<byte[][]> _sets = [];

    /// <summary>Sets kept for reuse: truth and prediction for each of a few threads.</summary>
    public int MaxKept { get; } = 4 * Environment.ProcessorCount;

    /// <summary>A set of <paramref name="classes"/> arrays of exactly <paramref name="length"/> bytes, of unspecified contents.</summary>
    public byte[][] Rent(int classes, int length)
    {
        // Sets of another shape are set aside and put back, so sizes that alternate keep their sets.
        var skipped = new List<byte[][]>();
        byte[][]? found = null;
        while (_sets.TryTake(out byte[][]? set))
        {
            if (set.Length == classes && set[0].Length == length)
            {
                found = set;
                break;
            }
            skipped.Add(set);
        }
        foreach (byte[][] set in skipped)
        {
            _sets.Add(set);
        }
        return found ?? Enumerable.Range(0, classes).Select(_ => GC.AllocateUninitializedArray<byte>(length)).ToArray();
    }

    /// <summary>Gives a set back for reuse (dropped when <see cref="MaxKept"/> sets are kept already).</summary>
    public void Return(byte[][] set)
    {
        if (_sets.Count < MaxKept)
        {
            _sets.Add(set);
        }
    }
}
