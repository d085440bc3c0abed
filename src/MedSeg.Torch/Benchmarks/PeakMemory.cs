using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// The process's peak resident memory (managed heap and libtorch's native buffers together) over a stretch of
/// work, from Linux's <c>VmHWM</c>, whose high-water mark <see cref="Reset"/> clears (<c>/proc/self/clear_refs</c>).
/// Elsewhere the figures are NaN.
/// </summary>
public static class PeakMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>
    /// Collects garbage, hands memory that glibc's allocator holds free back to the system (<c>malloc_trim</c>: freed
    /// libtorch buffers would otherwise stay resident and hide the next stretch's allocations), and clears the
    /// high-water mark so that it restarts from the current resident size.
    /// </summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (File.Exists("/proc/self/clear_refs"))
        {
            TrimNativeHeap();
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> after a <see cref="Reset"/> and returns its result, its wall time and the peak memory
    /// it added: the highest resident size during the work minus the resident size just before it.
    /// </summary>
    public static (T Result, double Seconds, double PeakMb) Measure<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Reset();
        var before = CurrentMb();
        var clock = Stopwatch.StartNew();
        var result = work();
        var seconds = clock.Elapsed.TotalSeconds;
        return (result, seconds, PeakMb() - before);
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

    private static void TrimNativeHeap()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): memory freed earlier may stay resident and hide part of the next stretch's allocations.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
