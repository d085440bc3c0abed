using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// <c>medseg bench metrics</c>: HD95 of one pair of organ-sized masks on one thread, and a full uwmgi evaluation of
/// a synthetic submission held in memory, each next to a naive baseline (full-volume distance transforms, no
/// cropping, sorting for percentiles) run in the same process on the same data; then the same submission written
/// to disk and scored through the whole <c>medseg evaluate</c> path (CSV parsing, RLE decoding, image sizes from
/// file names), whose score must equal the in-memory one. One flat record per result.
/// </summary>
/// <remarks>
/// The machine's 1-minute load average is recorded with every result, since other processes on a small machine
/// change the figures more than anything measured here.
/// </remarks>
public static class MetricsBenchmark
{
    private static readonly string[] Classes = ["stomach", "small_bowel", "large_bowel"];

    /// <summary>Runs every measurement of <paramref name="options"/>, yielding each result as soon as it is known.</summary>
    /// <exception cref="MedSegException">An option is out of range.</exception>
    public static IEnumerable<Dictionary<string, object>> Run(MetricsBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        foreach (var result in Hd95Pairs(options))
        {
            yield return result;
        }
        foreach (var result in Submission(options))
        {
            yield return result;
        }
    }

    // HD95 (surface voxels, mm) of an organ-sized pair and of an abdomen-sized pair: naive baseline, then MedSeg.
    private static IEnumerable<Dictionary<string, object>> Hd95Pairs(MetricsBenchmarkOptions o)
    {
        int[] shape = [o.Depth, o.Height, o.Width];
        double[] spacing = [3.0, 1.5, 1.5];
        foreach ((string pair, double scale) in new[] { ("organ", 1.0), ("abdomen", 1.6) })
        {
            // Truth centred; the prediction shifted by (2, −3, 3) voxels and 5 % larger, as a decent model's would be.
            double rd = 0.21 * o.Depth * scale, rh = 0.225 * o.Height * scale, rw = 0.207 * o.Width * scale;
            var truth = new byte[o.Depth * o.Height * o.Width];
            var pred = new byte[truth.Length];
            SyntheticOrgans.Ellipsoid(truth, o.Depth, o.Height, o.Width, o.Depth / 2.0, o.Height / 2.0, o.Width / 2.0, rd, rh, rw);
            SyntheticOrgans.Ellipsoid(pred, o.Depth, o.Height, o.Width, o.Depth / 2.0 + 2, o.Height / 2.0 - 3, o.Width / 2.0 + 3, 1.05 * rd, 1.05 * rh, 1.05 * rw);
            var common = new Dictionary<string, object>
            {
                ["bench"] = "hd95",
                ["pair"] = pair,
                ["shape"] = $"{o.Depth}x{o.Height}x{o.Width}",
                ["spacing_mm"] = "3x1.5x1.5",
                ["truth_voxels"] = truth.Count(v => v != 0),
                ["threads"] = 1,
            };

            (double naiveMs, double naiveCpuMs, (double Hausdorff, double AtPercentile) naive) =
                Median(o.Repeats, () => NaiveHausdorff.Measure(pred, truth, shape, spacing, surfaces: true, 95));
            yield return Result(common, "naive_full_volume", new()
            {
                ["ms_per_pair"] = Round(naiveMs),
                ["cpu_ms_per_pair"] = Round(naiveCpuMs),
                ["hd95_mm"] = Round(naive.AtPercentile),
            });

            (double ms, double cpuMs, HausdorffResult fast) = Median(o.Repeats, () =>
                SurfaceDistance.Compute(pred, truth, shape, spacing, EmptyPolicy.Infinity, EmptyPolicy.Skip, 95, maxDegreeOfParallelism: 1));
            yield return Result(common, "medseg", new()
            {
                ["ms_per_pair"] = Round(ms),
                ["cpu_ms_per_pair"] = Round(cpuMs),
                ["hd95_mm"] = Round(fast.AtPercentile),
                ["same_as_baseline"] = Math.Abs(fast.AtPercentile - naive.AtPercentile) < 1e-9 && Math.Abs(fast.Hausdorff - naive.Hausdorff) < 1e-9,
                ["speedup_vs_baseline"] = Math.Round(naiveMs / ms, 1),
            });
        }
    }

    // The uwmgi score of a synthetic submission: baseline and MedSeg on a few case-days, then MedSeg on all.
    private static IEnumerable<Dictionary<string, object>> Submission(MetricsBenchmarkOptions o)
    {
        int[] depths = CaseDayDepths(o);
        int few = Math.Min(o.BaselineCaseDays, depths.Length);
        var common = new Dictionary<string, object>
        {
            ["bench"] = "uwmgi",
            ["size"] = $"{o.Height}x{o.Width}",
            ["classes"] = Classes.Length,
        };

        int fewSlices = depths[..few].Sum();
        (double naiveSeconds, double naiveCpu, double naiveScore) = Timed(() => NaiveScore(o, depths[..few]));
        yield return Result(common, "naive_full_volume", new()
        {
            ["case_days"] = few,
            ["slices"] = fewSlices,
            ["threads"] = 1,
            ["seconds"] = Round(naiveSeconds),
            ["cpu_seconds"] = Round(naiveCpu),
            ["slices_per_s"] = Round(fewSlices / naiveSeconds),
            ["score"] = Round(naiveScore),
        });

        (double fewSeconds, double fewCpu, double fewScore) = Timed(() => Score(o, depths[..few], threads: 1));
        yield return Result(common, "medseg", new()
        {
            ["case_days"] = few,
            ["slices"] = fewSlices,
            ["threads"] = 1,
            ["seconds"] = Round(fewSeconds),
            ["cpu_seconds"] = Round(fewCpu),
            ["slices_per_s"] = Round(fewSlices / fewSeconds),
            ["score"] = Round(fewScore),
            ["same_as_baseline"] = Math.Abs(fewScore - naiveScore) < 1e-9,
            ["speedup_vs_baseline"] = Math.Round(naiveSeconds / fewSeconds, 1),
        });

        (double generateSeconds, double generateCpu, _) = Timed(() => Generate(o, depths, o.Threads));
        (double seconds, double cpu, double score) = Timed(() => Score(o, depths, o.Threads));
        yield return Result(common, "medseg", new()
        {
            ["case_days"] = depths.Length,
            ["slices"] = depths.Sum(),
            ["threads"] = o.Threads,
            ["seconds"] = Round(seconds),
            ["cpu_seconds"] = Round(cpu),
            ["generate_seconds"] = Round(generateSeconds),
            ["generate_cpu_seconds"] = Round(generateCpu),
            ["slices_per_s"] = Round(depths.Sum() / seconds),
            ["score"] = Round(score),
            ["score_exact"] = score,
        });

        // The same submission through the whole `medseg evaluate` path: CSV parsing, RLE decoding, sizes from image names.
        string root = Path.Combine(Path.GetTempPath(), "medseg-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            (double writeSeconds, _, (string data, string submission)) = Timed(() => SyntheticSubmissionFiles.Write(root, o, depths, Classes));
            (double fileSeconds, double fileCpu, double fileScore) = Timed(() =>
                SubmissionEvaluator.Load(submission, data).Evaluate(new EvaluationOptions(EvaluationOptions.UwMadison)).Score);
            yield return Result(common, "medseg_files", new()
            {
                ["case_days"] = depths.Length,
                ["slices"] = depths.Sum(),
                ["threads"] = Environment.ProcessorCount,
                ["seconds"] = Round(fileSeconds),
                ["cpu_seconds"] = Round(fileCpu),
                ["write_seconds"] = Round(writeSeconds),
                ["slices_per_s"] = Round(depths.Sum() / fileSeconds),
                ["score"] = Round(fileScore),
                ["score_exact"] = fileScore,
                ["same_as_in_memory"] = Math.Abs(fileScore - score) <= 1e-12,
            });
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    // Case-days of `Depth` slices, the last one shorter when `Slices` is not a multiple.
    private static int[] CaseDayDepths(MetricsBenchmarkOptions o)
    {
        int full = o.Slices / o.Depth, rest = o.Slices % o.Depth;
        return [.. Enumerable.Repeat(o.Depth, full), .. rest > 0 ? new[] { rest } : []];
    }

    // Scores every case-day with MedSeg's uwmgi metric, `threads` case-days at a time (each drawn into the
    // thread's own buffers, so memory stays at a few case-days whatever the submission's size).
    private static double Score(MetricsBenchmarkOptions o, int[] depths, int threads)
    {
        var score = new UwMadisonScore(Classes, maxDegreeOfParallelism: 1);
        ForEachCaseDay(o, depths, threads, (id, depth, pred, truth) => score.Update(id, depth, o.Height, o.Width, pred, truth));
        return score.Compute().Score;
    }

    // Only draws the case-days: the part of `Score`'s time that is not the metric.
    private static int Generate(MetricsBenchmarkOptions o, int[] depths, int threads)
    {
        ForEachCaseDay(o, depths, threads, (_, _, _, _) => { });
        return depths.Length;
    }

    /// <summary>
    /// Draws the synthetic case-days of <paramref name="depths"/>, <paramref name="threads"/> at a time, and hands each
    /// to <paramref name="work"/> as (case-day id, depth, predicted masks, true masks), one D×H×W mask per class.
    /// </summary>
    internal static void ForEachCaseDay(MetricsBenchmarkOptions o, int[] depths, int threads, Action<string, int, byte[][], byte[][]> work)
    {
        int volume = o.Depth * o.Height * o.Width;
        Parallel.For(0, depths.Length, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => (Pred: NewMasks(volume), Truth: NewMasks(volume)),
            (k, _, buffers) =>
            {
                int count = depths[k] * o.Height * o.Width;
                // Each case-day is drawn into exact-size views so the metric sees D×H×W masks.
                byte[][] pred = Views(buffers.Pred, count), truth = Views(buffers.Truth, count);
                DrawCaseDay(o, depths[k], o.Seed * 100_003 + k, pred, truth);
                work(string.Create(CultureInfo.InvariantCulture, $"case{k}_day0"), depths[k], pred, truth);
                return buffers;
            },
            _ => { });
    }

    private static byte[][] NewMasks(int count) => Classes.Select(_ => new byte[count]).ToArray();

    // Full-length buffers are used as they are; a shorter case-day gets arrays of its own size.
    private static byte[][] Views(byte[][] buffers, int count) =>
        buffers[0].Length == count ? buffers : buffers.Select(_ => new byte[count]).ToArray();

    // Three organs per case-day with random placement; the prediction is each organ moved, resized, and now and
    // then missed altogether, as a model's errors are.
    private static void DrawCaseDay(MetricsBenchmarkOptions o, int depth, int seed, byte[][] pred, byte[][] truth)
    {
        var random = new Random(seed);
        int h = o.Height, w = o.Width;
        foreach (byte[] mask in pred.Concat(truth))
        {
            Array.Clear(mask);
        }
        double Jitter(double value, double spread) => value * (1 + spread * (2 * random.NextDouble() - 1));
        for (int c = 0; c < 3; c++)
        {
            double cd = Jitter(depth * (0.35 + 0.15 * c), 0.1), ch = Jitter(h * (0.4 + 0.08 * c), 0.08), cw = Jitter(w * (0.6 - 0.07 * c), 0.08);
            double rd = Jitter(depth * (0.12 + 0.06 * c), 0.15), rh = Jitter(h * (0.11 + 0.04 * c), 0.15), rw = Jitter(w * (0.1 + 0.05 * c), 0.15);
            double sd = 4 * random.NextDouble() - 2, sh = 8 * random.NextDouble() - 4, sw = 8 * random.NextDouble() - 4;
            double grow = Jitter(1, 0.1);
            bool missed = random.NextDouble() < 0.05;
            if (c < 2)
            {
                SyntheticOrgans.Ellipsoid(truth[c], depth, h, w, cd, ch, cw, rd, rh, rw);
                if (!missed)
                {
                    SyntheticOrgans.Ellipsoid(pred[c], depth, h, w, cd + sd, ch + sh, cw + sw, rd * grow, rh * grow, rw * grow);
                }
                continue;
            }
            int d0 = (int)(depth * 0.3), d1 = (int)(depth * 0.85);
            SyntheticOrgans.CShape(truth[c], depth, h, w, d0, d1, h * 0.5, w * 0.5, h * 0.3, h * 0.08);
            if (!missed)
            {
                SyntheticOrgans.CShape(pred[c], depth, h, w, d0 + (int)sd, d1 + (int)sd, h * 0.5 + sh, w * 0.5 + sw, h * 0.3 * grow, h * 0.08 * grow);
            }
        }
    }

    // The uwmgi score by its definition with the naive distances: Dice per (slice, class), both-empty skipped;
    // HD per case-day on the classes OR-ed, in the unit cube, over √3, one empty = 1, both empty skipped.
    private static double NaiveScore(MetricsBenchmarkOptions o, int[] depths)
    {
        RunningMean dice = default, hausdorff = default;
        ForEachCaseDay(o, depths, 1, (_, depth, pred, truth) =>
        {
            int plane = o.Height * o.Width;
            for (int c = 0; c < Classes.Length; c++)
            {
                for (int z = 0; z < depth; z++)
                {
                    dice = dice.Add(ConfusionCounts.Of(pred[c].AsSpan(z * plane, plane), truth[c].AsSpan(z * plane, plane)).Dice(EmptyPolicy.Skip));
                }
            }
            byte[] predUnion = Union(pred), truthUnion = Union(truth);
            bool hasPred = predUnion.Contains((byte)1), hasTruth = truthUnion.Contains((byte)1);
            if (hasPred && hasTruth)
            {
                var (distance, _) = NaiveHausdorff.Measure(predUnion, truthUnion, [depth, o.Height, o.Width],
                    [1.0 / depth, 1.0 / o.Height, 1.0 / o.Width], surfaces: false, 95);
                hausdorff = hausdorff.Add(Math.Min(1, distance / Math.Sqrt(3)));
            }
            else if (hasPred || hasTruth)
            {
                hausdorff = hausdorff.Add(1);
            }
        });
        return 0.4 * dice.Value + 0.6 * (1 - hausdorff.Value);
    }

    private static byte[] Union(byte[][] masks)
    {
        var union = new byte[masks[0].Length];
        foreach (byte[] mask in masks)
        {
            for (int i = 0; i < union.Length; i++)
            {
                union[i] |= mask[i] != 0 ? (byte)1 : (byte)0;
            }
        }
        return union;
    }

    // Median wall time and median CPU time (NaN where unknown) in ms of `repeats` runs after one warm-up, with the
    // last run's result.
    private static (double Ms, double CpuMs, T Result) Median<T>(int repeats, Func<T> run)
    {
        T result = run();
        var times = new double[repeats];
        var cpu = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            double? cpuStart = ProcessorTime.Milliseconds();
            var watch = Stopwatch.StartNew();
            result = run();
            times[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = ProcessorTime.Milliseconds() - cpuStart ?? double.NaN;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        return (times[repeats / 2], cpu[repeats / 2], result);
    }

    // Wall seconds and CPU seconds (all threads; NaN where unknown) of one run.
    private static (double Seconds, double CpuSeconds, T Result) Timed<T>(Func<T> run)
    {
        double? cpuStart = ProcessorTime.Milliseconds();
        var watch = Stopwatch.StartNew();
        T result = run();
        double seconds = watch.Elapsed.TotalSeconds;
        return (seconds, (ProcessorTime.Milliseconds() - cpuStart) / 1000 ?? double.NaN, result);
    }

    private static Dictionary<string, object> Result(Dictionary<string, object> common, string variant, Dictionary<string, object> figures)
    {
        var result = new Dictionary<string, object>(common) { ["variant"] = variant };
        foreach ((string key, object value) in figures)
        {
            result[key] = value;
        }
        result["peak_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        if (MachineLoad.OneMinute() is { } load)
        {
            result["load_1min"] = load;
        }
        return result;
    }

    private static double Round(double value) => Math.Round(value, 3);
}
