using System.Diagnostics;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Benchmarks;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Data;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// <c>medseg bench data</c>: on a synthetic UW-Madison dataset written to a temporary folder, slices per second of
/// 16-bit PNG decoding (1 and 2 threads), of the synchronous batch path (the baseline) and of the threaded loader
/// (1 and 2 worker threads, cold and warm slice cache, without and with augmentation), all building 2.5D batches
/// of the same plan; then the time a U-Net training step waits for its batch, with and without the loader. One flat
/// record per result; every record carries the 1-minute load average, which on a small machine moves the figures.
/// </summary>
public static class DataBenchmark
{
    /// <summary>Runs every measurement, yielding each result as soon as it is known; the temporary dataset is deleted at the end.</summary>
    public static IEnumerable<Dictionary<string, object>> Run(DataBenchmarkOptions options)
    {
        options.Validate();
        var root = Path.Combine(Path.GetTempPath(), $"medseg-bench-data-{Guid.NewGuid():N}");
        try
        {
            UwMadisonSynth.Write(root, new UwMadisonSynthOptions(options.Cases, 1, options.Slices, options.Height, options.Width, options.Seed));
            var data = UwMadisonDataset.Load(root);
            foreach (var result in Measure(data, options))
            {
                yield return result;
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static IEnumerable<Dictionary<string, object>> Measure(UwMadisonDataset data, DataBenchmarkOptions o)
    {
        var common = new Dictionary<string, object>
        {
            ["slice_size"] = $"{o.Height}x{o.Width}",
            ["slices"] = data.SliceCount,
            ["batch"] = o.Batch,
            ["input"] = $"{o.InSlices}x{o.NetworkSize}x{o.NetworkSize}",
        };
        foreach (var threads in new[] { 1, 2 })
        {
            var time = Time(() => Parallel.ForEach(data.Slices, new ParallelOptions { MaxDegreeOfParallelism = threads }, s => s.ReadImage()));
            yield return Result(common, "png_decode", new() { ["threads"] = threads }, data.SliceCount, time);
        }

        var samples = data.CaseDays.SelectMany(cd => Enumerable.Range(0, cd.Slices.Count).Select(i => new SliceRef(cd, i))).ToArray();
        var batches = samples.Length / o.Batch;
        // One untimed batch first, so that no measured run pays for JIT compilation and libtorch's start-up.
        Epoch(Tensors(o, SliceImageCache.None), data, samples, AugmentationPipeline.Empty, EpochPlan.Of(samples.Length, o.Batch, 1, o.Seed, 0), LoaderOptions.Synchronous, o.Seed);
        var augmentations = new[] { ("none", AugmentationPipeline.Empty), ("default", AugmentationPipeline.Parse(o.Augment, "--augment")) };
        foreach (var (augmentName, pipeline) in augmentations)
        {
            var baseline = Tensors(o, SliceImageCache.None);
            var time = Epoch(baseline, data, samples, pipeline, EpochPlan.Of(samples.Length, o.Batch, batches, o.Seed, 1), LoaderOptions.Synchronous, o.Seed);
            yield return Result(common, "data_sync", new() { ["threads"] = 0, ["augment"] = augmentName, ["cache"] = "none" }, batches * o.Batch, time);
            foreach (var threads in new[] { 1, 2 })
            {
                // The first epoch fills a fresh cache (cold); the second, with another shuffle, reads it (warm).
                var tensors = Tensors(o, new SliceImageCache(o.CacheMb));
                for (var epoch = 1; epoch <= 2; epoch++)
                {
                    time = Epoch(tensors, data, samples, pipeline, EpochPlan.Of(samples.Length, o.Batch, batches, o.Seed, epoch), new LoaderOptions(threads, 2), o.Seed);
                    yield return Result(common, "data_loader", new()
                    {
                        ["threads"] = threads, ["prefetch"] = 2, ["augment"] = augmentName, ["cache"] = epoch == 1 ? "cold" : "warm",
                        ["cache_mb"] = o.CacheMb, ["cache_used_mb"] = Math.Round(tensors.Reader.Cache.Bytes / 1048576.0, 1),
                    }, batches * o.Batch, time);
                }
            }
        }
        if (o.TrainSteps > 0)
        {
            foreach (var loader in new[] { LoaderOptions.Synchronous, new LoaderOptions(1, 2) })
            {
                var (figures, slices, time) = TrainingWait(o, data, samples, loader);
                yield return Result(common, "data_wait_in_training", figures, slices, time);
            }
        }
    }

    private static SliceTensors Tensors(DataBenchmarkOptions o, SliceImageCache cache) =>
        new(o.InSlices, o.SliceStride, o.NetworkSize, o.NetworkSize, new SliceReader(IntensityNormalisation.Default, RoiCrop.None, cache));

    /// <summary>Seconds to take every batch of <paramref name="plan"/> as tensors from a loader (its workers started inside the timing).</summary>
    private static (double Seconds, double CpuSeconds) Epoch(SliceTensors tensors, UwMadisonDataset data, SliceRef[] samples, AugmentationPipeline pipeline,
        IReadOnlyList<BatchPlan> plan, LoaderOptions options, int seed) => Time(() =>
        {
            using var loader = SliceBatchLoader.Start(tensors, samples, data.Classes.Count, pipeline, seed, plan, options);
            for (var b = 0; b < loader.Count; b++)
            {
                using var scope = NewDisposeScope();
                loader.Next();
            }
        });

    /// <summary>
    /// Training steps of a U-Net/ResNet-34 (bf16 convolutions, BCE + Dice, AdamW) on the loader's batches: the time
    /// the step waits in <see cref="IBatchLoader{TBatch}.Next"/> as a share of the whole step. The first step warms up.
    /// </summary>
    private static (Dictionary<string, object> Figures, int Slices, (double Seconds, double CpuSeconds) Time) TrainingWait(DataBenchmarkOptions o, UwMadisonDataset data, SliceRef[] samples, LoaderOptions options)
    {
        manual_seed(o.Seed);
        using var model = ModelFactory.Create("unet", "resnet34", o.InSlices, data.Classes.Count);
        using var optimizer = optim.AdamW(model.parameters(), 1e-4);
        var loss = SegmentationLoss.Parse("bce+dice");
        model.train();
        var tensors = Tensors(o, new SliceImageCache(o.CacheMb));
        var pipeline = AugmentationPipeline.Parse(o.Augment, "--augment");
        var plan = EpochPlan.Of(samples.Length, o.Batch, o.TrainSteps + 1, o.Seed, 1);
        double wait = 0, total = 0, cpu = 0;
        using var loader = SliceBatchLoader.Start(tensors, samples, data.Classes.Count, pipeline, o.Seed, plan, options);
        for (var step = 0; step < loader.Count; step++)
        {
            var clock = Stopwatch.StartNew();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            using var scope = NewDisposeScope();
            using var precision = Autocast.BFloat16(true);
            var batch = loader.Next();
            var waited = clock.Elapsed.TotalSeconds;
            var value = loss.Compute(model.call(batch.Inputs), batch.Targets);
            optimizer.zero_grad();
            value.backward();
            optimizer.step();
            if (step > 0)
            {
                wait += waited;
                total += clock.Elapsed.TotalSeconds;
                cpu += (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
            }
        }
        var figures = new Dictionary<string, object>
        {
            ["threads"] = options.Threads, ["prefetch"] = options.Threads == 0 ? 0 : options.Prefetch, ["augment"] = "default",
            ["arch"] = "unet", ["encoder"] = "resnet34", ["steps"] = o.TrainSteps,
            ["ms_per_step"] = Math.Round(total / o.TrainSteps * 1000, 1), ["wait_ms_per_step"] = Math.Round(wait / o.TrainSteps * 1000, 1),
            ["wait_share"] = Math.Round(wait / total, 4),
        };
        return (figures, o.TrainSteps * o.Batch, (total, cpu));
    }

    /// <summary>Wall and CPU seconds (all threads) of <paramref name="action"/>; CPU time shows the work done even on a loaded machine.</summary>
    private static (double Seconds, double CpuSeconds) Time(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static Dictionary<string, object> Result(Dictionary<string, object> common, string bench, Dictionary<string, object> figures, int slices,
        (double Seconds, double CpuSeconds) time)
    {
        var result = new Dictionary<string, object> { ["bench"] = bench };
        foreach (var (key, value) in common.Concat(figures))
        {
            result[key] = value;
        }
        result["slices_per_s"] = Math.Round(slices / time.Seconds, 1);
        result["cpu_ms_per_slice"] = Math.Round(time.CpuSeconds * 1000 / slices, 2);
        result["peak_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        if (MachineLoad.OneMinute() is { } load)
        {
            result["load_1min"] = load;
        }
        return result;
    }
}
