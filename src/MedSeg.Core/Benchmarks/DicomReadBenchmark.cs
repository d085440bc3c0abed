using System.Diagnostics;
using MedSeg.Core.Dicom;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// <c>medseg bench dicom</c>: how fast a DICOM export is read, as <c>inspect</c>, <c>predict</c> and training read it —
/// the header scan (grouping, sorting and checking the series) and the pixel decoding (all cores), timed separately,
/// one result per repeat (the first after a cold start of GDCM and, usually, a cold file cache), with the process's
/// CPU time per slice, which a shared machine's load moves less than the wall time.
/// </summary>
public static class DicomReadBenchmark
{
    /// <summary>Reads every series below <paramref name="folder"/> <paramref name="repeats"/> times; one JSON-ready result per repeat.</summary>
    public static IEnumerable<Dictionary<string, object?>> Run(string folder, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        for (var repeat = 1; repeat <= repeats; repeat++)
        {
            var load = MachineLoad.OneMinute();
            var cpu = ProcessorTime.Milliseconds();
            var clock = Stopwatch.StartNew();
            var series = DicomFolder.FindSeries(folder);
            var scanned = clock.Elapsed.TotalMilliseconds;
            long voxels = 0;
            foreach (var s in series)
            {
                voxels += DicomFolder.Read(s).Voxels.LongLength;
            }
            var total = clock.Elapsed.TotalMilliseconds;
            var cpuMs = ProcessorTime.Milliseconds() - cpu;
            var slices = series.Sum(s => s.Slices.Count);
            yield return new Dictionary<string, object?>
            {
                ["bench"] = "dicom_read",
                ["backend"] = DicomBackend.Current.Name,
                ["repeat"] = repeat,
                ["series"] = series.Count,
                ["slices"] = slices,
                ["voxels"] = voxels,
                ["threads"] = Environment.ProcessorCount,
                ["scan_ms"] = Math.Round(scanned, 1),
                ["decode_ms"] = Math.Round(total - scanned, 1),
                ["total_ms"] = Math.Round(total, 1),
                ["slices_per_s"] = Math.Round(slices / (total / 1000), 1),
                ["cpu_ms_per_slice"] = cpuMs is { } c ? Math.Round(c / slices, 2) : null,
                ["load_1min_before"] = load,
                ["load_1min_after"] = MachineLoad.OneMinute(),
            };
        }
    }
}
