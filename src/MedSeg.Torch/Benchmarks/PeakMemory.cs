namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// The process's peak resident memory (managed heap and libtorch's native buffers together) over a stretch of
/// work, from Linux's <c>VmHWM</c>, whose high-water mark <see cref="Reset"/> clears (<c>/proc/self/clear_refs</c>).
/// Elsewhere the figures are NaN.
/// </summary>
public static class PeakMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>Clears the high-water mark so that it restarts from the current resident size.</summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (File.Exists("/proc/self/clear_refs"))
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    /// <summary>Resident memory now, in MB.</summary>
    public static double CurrentMb() => Read("VmRSS:");

    /// <summary>The highest resident memory since the last <see cref="Reset"/>, in MB.</summary>
    public static double PeakMb() => Read("VmHWM:");

    private static double Read(string key)
    {
        if (!File.Exists(Status))
        {
            return double.NaN;
        }
        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line[key.Length..].Trim().Split(' ')[0]) / 1024.0;
    }
}
