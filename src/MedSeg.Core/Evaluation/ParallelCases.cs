using System.Runtime.ExceptionServices;

namespace MedSeg.Core.Evaluation;

/// <summary>Runs work on several cases at once, one per processor, and reports a user error as itself.</summary>
internal static class ParallelCases
{
    /// <summary>
    /// Calls <paramref name="work"/> for every case; a <see cref="MedSegException"/> thrown by any of them surfaces
    /// as itself (the first one found), not wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    public static void ForEach<T>(IEnumerable<T> cases, Action<T> work)
    {
        try
        {
            Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, work);
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<MedSegException>().FirstOrDefault() is { } error)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }
}
