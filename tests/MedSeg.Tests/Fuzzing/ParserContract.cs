using CsCheck;
using MedSeg.Core;

namespace MedSeg.Tests.Fuzzing;

/// <summary>
/// The contract every parser of a user's file keeps: any input gives a result or a <see cref="MedSegException"/> with a
/// one-line message (naming the file when one is given), never another exception type and never a hang.
/// </summary>
internal static class ParserContract
{
    /// <summary>Longest a single parse may take before it counts as a hang.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long each property runs: <c>MEDSEG_FUZZ_SECONDS</c> (set by <c>scripts/fuzz.sh</c>) for long runs, otherwise
    /// <paramref name="iterations"/> generated inputs, a few seconds in CI.
    /// </summary>
    public static void Sample<T>(Gen<T> inputs, Action<T> parse, long iterations, Func<T, string>? print = null)
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MEDSEG_FUZZ_SECONDS"), out var s) && s > 0 ? s : -1;
        // A long run reports its executions on stderr (scripts/fuzz.sh shows them).
        inputs.Sample(parse, writeLine: seconds > 0 ? Console.Error.WriteLine : null, iter: iterations, time: seconds, threads: 1, print: print);
    }

    /// <summary>Runs <paramref name="parse"/> and fails unless it returns or throws a clear <see cref="MedSegException"/>.</summary>
    /// <param name="named">Text the error must contain (the file's path), or null.</param>
    public static void Holds(Action parse, string? named = null)
    {
        var run = Task.Run(parse);
        try
        {
            if (!run.Wait(HangLimit))
            {
                throw new InvalidOperationException($"the parser ran longer than {HangLimit.TotalSeconds} s (a hang).");
            }
        }
        catch (AggregateException wrapped) when (wrapped.InnerExceptions is [MedSegException error])
        {
            if (string.IsNullOrWhiteSpace(error.Message) || error.Message.Contains('\n') || (named is not null && !error.Message.Contains(named)))
            {
                throw new InvalidOperationException($"unclear error message (one line naming '{named}' expected): {error.Message}");
            }
        }
        catch (AggregateException wrapped) when (wrapped.InnerExceptions is [var other])
        {
            throw new InvalidOperationException($"the parser threw {other.GetType().Name} instead of a MedSegException: {other.Message}", other);
        }
    }
}
