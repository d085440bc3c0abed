using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// 3D segmentation on patches (<c>--mode 3d --patch DxHxW</c>), as nnU-Net trains: each sample is a patch of a
/// training case-day volume (<see cref="PatchSampler"/>: every third on foreground), an epoch draws as many patches
/// as it takes to tile every training volume once; validation segments the whole held-out case-days through the
/// sliding window (the run's patch as the window) and reports the same uwmgi score as the 2D task, and the
/// out-of-fold output is the same per-case-day probabilities.
/// </summary>
public sealed class VolumeSegmentationTask : ITrainingTask
{
    private readonly TrainConfig config;
    private readonly FoldSplit split;
    private readonly PatchSampler sampler;
    private readonly NetworkLoss loss;

    /// <exception cref="Core.MedSegException">The patch the user gave is larger than every training volume, or not a size the network takes.</exception>
    public VolumeSegmentationTask(IReadOnlyList<string> classes, TrainConfig config, FoldSplit split)
    {
        Classes = classes;
        this.config = config;
        this.split = split;
        var patch = config.ParsedPatch;
        sampler = new PatchSampler(split.Train, classes.Count, patch, config.AugmentationPipeline(), IntensityNormalisation.Parse(config.Normalisation),
            sizeStep: TrainingDefaults.SizeStep(config), foregroundEvery: config.ForegroundEvery);
        loss = new NetworkLoss(SegmentationLoss.Parse(config.Loss), config.Reconstruction);
        SampleCount = Math.Max(config.BatchSize, split.Train.Sum(c => PatchesToTile(CaseDayVolume.Shape(c).Sizes, patch.Sizes)));
    }

    public IReadOnlyList<string> Classes { get; }

    public int SampleCount { get; }

    public string Description =>
        split.Describe(config, $"{Plural.Of(split.Train.Count, "case-day")} (patches of {config.ParsedPatch}, {SampleCount} tile them once)",
            $"{Plural.Of(split.Validation.Count, "case-day")}, sliding window");

    /// <exception cref="Core.MedSegException">The patch is not a multiple of what the network's down-sampling needs.</exception>
    public nn.Module<Tensor, Tensor> CreateModel()
    {
        var model = TrainingNetworks.Create(config, Classes.Count);
        var patch = config.ParsedPatch.Sizes;
        if (model is SegmentationModel network && patch.Any(s => s % network.SizeMultiple != 0))
        {
            model.Dispose();
            throw new Core.MedSegException(
                $"--patch {config.Patch} must be divisible by {network.SizeMultiple} along every axis for {config.Arch} with these levels; use {string.Join("x", network.NearestValidSize(patch.Select(s => (long)s)))}.");
        }
        return model;
    }

    public TrainingBatch Batch(IReadOnlyList<int> samples, long stream)
    {
        var (inputs, targets) = sampler.Batch(config.Seed, stream, samples);
        return new TrainingBatch(inputs, targets);
    }

    /// <summary>Batches built ahead by <see cref="TrainConfig.LoaderThreads"/> threads (patch crops and augmentation on arrays).</summary>
    public IBatchLoader<TrainingBatch> Batches(IReadOnlyList<BatchPlan> plan) =>
        new BatchLoader<AugmentationSample[], TrainingBatch>(plan.Count,
            (b, parallel) => sampler.Samples(config.Seed, plan[b].Stream, plan[b].Samples, parallel),
            samples =>
            {
                var (inputs, targets) = sampler.ToTensors(samples);
                return new TrainingBatch(inputs, targets);
            },
            config.Loader());

    public Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingBatch batch) => loss.Compute(model, batch.Inputs, batch.Targets, batch.Ignore);

    public ValidationResult Validate(nn.Module<Tensor, Tensor> model, Device device) =>
        SegmentationValidation.Validate(model, config, Classes, split.Validation, device);

    public void WriteOutOfFold(nn.Module<Tensor, Tensor> model, string folder, Device device) =>
        SegmentationValidation.WriteOutOfFold(model, config, Classes, split.Validation, folder, device);

    public void DecidePostProcessingOnLabels(string runPath) => SegmentationValidation.DecideOnLabels(Classes, split.Train, runPath);

    /// <summary>Patches that tile a volume once: ⌈volume / patch⌉ along each axis, multiplied.</summary>
    private static int PatchesToTile(int[] volume, int[] patch) =>
        Enumerable.Range(0, 3).Aggregate(1, (product, a) => product * ((volume[a] + patch[a] - 1) / patch[a]));
}
