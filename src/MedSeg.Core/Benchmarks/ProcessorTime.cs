using System.Runtime.InteropServices;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// CPU time used by this process so far (user + system, all threads), in ms with microsecond resolution, from
/// <c>getrusage</c> on Linux. On a loaded machine it shows the work a run did, which wall time cannot.
/// </summary>
internal static partial class ProcessorTime
{
    private const int ResourceUsageSelf = 0;

    /// <summary>CPU milliseconds so far; null where <c>getrusage</c> is not available.</summary>
    public static double? Milliseconds()
    {
        if (!OperatingSystem.IsLinux() || GetResourceUsage(ResourceUsageSelf, out ResourceUsage usage) != 0)
        {
            return null;
        }
        return (usage.UserSeconds + usage.SystemSeconds) * 1000.0 + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1000.0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);

    // struct rusage on 64-bit Linux: two struct timeval (user, system) and fourteen longs this code does not read.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
