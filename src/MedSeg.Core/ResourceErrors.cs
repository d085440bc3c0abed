namespace MedSeg.Core;

/// <summary>
/// Turns a failure of the machine's resources (a full disk or quota, a read-only file system, a folder without
/// permission) into a <see cref="MedSegException"/> that says what ran out and what to do, wherever in the work it
/// happened (parallel writers wrap it in an <see cref="AggregateException"/>).
/// </summary>
public static class ResourceErrors
{
    private const int ENOSPC = 28, EDQUOT = 122, EROFS = 30, WindowsDiskFull = 112, WindowsHandleDiskFull = 39;

    /// <summary>The clear error for <paramref name="error"/>, or null when it is not a resource failure.</summary>
    public static MedSegException? Explain(Exception error)
    {
        foreach (var e in Causes(error))
        {
            var code = e.HResult & 0xFFFF;
            var fix = e switch
            {
                IOException when code is ENOSPC or EDQUOT or WindowsDiskFull or WindowsHandleDiskFull =>
                    "the disk (or your quota) is full; free space or write the output elsewhere",
                IOException when code == EROFS => "the file system is read-only; write the output to a writable folder",
                UnauthorizedAccessException => "permission denied; write the output to a folder you may write, or fix its permissions",
                _ => null,
            };
            if (fix is not null)
            {
                return new MedSegException($"{e.Message.TrimEnd('.')}: {fix} (MedSeg writes outputs to a temporary name and renames them, so no partial output is left).", error);
            }
        }
        return null;
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
