using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// A soak test of the product's own training and inference paths: a tiny 3D U-Net trains on a synthetic dataset through
/// <see cref="Trainer"/> (data loading, validation, checkpoints every <see cref="Options.Every"/> steps, as epochs), then
/// its run predicts case-days again and again through <see cref="SliceSegmenter"/> (sliding window). Resident memory and
/// the live tensor count are read every <see cref="Options.Every"/> steps or passes; a leak shows as growth after warm-up.
/// </summary>
public static class SoakBenchmark
{
    /// <param name="TrainSteps">Optimiser steps (a multiple of <paramref name="Every"/>).</param>
    /// <param name="InferPasses">Sliding-window predictions of one case-day (8×32×32 in 8×16×16 windows, 2 per batch: 5 batches each).</param>
    public sealed record Options(int TrainSteps = 1000, int InferPasses = 1000, int Every = 50, int Threads = 0);

    /// <summary>Runs the soak in <paramref name="work"/> (a new or empty folder) and returns every reading.</summary>
    public static IReadOnlyList<SoakSample> Run(Options o, string work, Action<SoakSample>? progress = null)
    {
        var data = Path.Combine(work, "data");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 3, MaxDays: 1, Slices: 8, Height: 32, Width: 32, Seed: 1));
        var dataset = UwMadisonDataset.Load(data);
        var config = new TrainConfig
        {
            Mode = "3d", Arch = "unet3d", Encoder = "none", Features = 8, Levels = 2, Patch = "8x16x16", Epochs = Math.Max(1, o.TrainSteps / o.Every),
            StepsPerEpoch = o.Every, BatchSize = 2, Folds = 3, Fold = "0", Seed = 3, Threads = o.Threads,
        };
        var samples = new List<SoakSample>();
        void Record(string stage, int count)
        {
            PeakMemory.Reset();
            var sample = new SoakSample(stage, count, PeakMemory.CurrentMb(), Tensor.TotalCount);
            samples.Add(sample);
            progress?.Invoke(sample);
        }
        var run = Path.Combine(work, "run");
        Trainer.Train(dataset, config, run, new TrainingEvents { Epoch = record => Record("train", record.Epoch * o.Every) });

        var device = Devices.Resolve(config.Device);
        using var ensemble = LoadedEnsemble.Load([run], null, new PredictOptions(BatchSize: config.BatchSize), device);
        var segmenter = new SliceSegmenter(ensemble.Members, ensemble.Options, device);
        for (int pass = 1; pass <= o.InferPasses; pass++)
        {
            using (NewDisposeScope())
            {
                _ = segmenter.Probabilities(dataset.CaseDays[pass % dataset.CaseDays.Count]);
            }
            if (pass % o.Every == 0)
            {
                Record("infer", pass);
            }
        }
        return samples;
    }

    /// <summary>
    /// How much a figure moved over a stage after warm-up (its first reading): (max − min) / min of the later readings,
    /// e.g. 0.05 for 5 %; 0 with fewer than two of them.
    /// </summary>
    public static double Growth(IReadOnlyList<SoakSample> samples, string stage, Func<SoakSample, double> figure)
    {
        var values = samples.Where(s => s.Stage == stage).Skip(1).Select(figure).ToArray();
        return values.Length < 2 ? 0 : (values.Max() - values.Min()) / values.Min();
    }
}
