using System.Runtime.ExceptionServices;

namespace MedSeg.Core;

/// <summary>
/// Maps items on all cores with results in input order, and with a deterministic failure: when items fail, the
/// error of the first failing item (in input order) is thrown, whatever the thread timing. Items after a known
/// failure are skipped, since they can no longer decide which error is reported.
/// </summary>
public static class OrderedParallel
{
    /// <summary>The results of <paramref name="body"/> for every item, in item order; <paramref name="progress"/> gets (done, total).</summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> body, Action<int, int>? progress = null)
    {
        var results = new TResult[items.Count];
        var errors = new Exception?[items.Count];
        int firstError = int.MaxValue;
        int done = 0;
        var progressLock = new object();
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (i > Volatile.Read(ref firstError))
            {
                return;
            }
            try
            {
                results[i] = body(items[i]);
            }
            catch (Exception e)
            {
                errors[i] = e;
                int seen;
                do
                {
                    seen = Volatile.Read(ref firstError);
                }
                while (i < seen && Interlocked.CompareExchange(ref firstError, i, seen) != seen);
                return;
            }
            if (progress is not null)
            {
                lock (progressLock)
                {
                    progress(++done, items.Count);
                }
            }
        });
        if (firstError != int.MaxValue)
        {
            ExceptionDispatchInfo.Capture(errors[firstError]!).Throw();
        }
        return results;
    }
}
