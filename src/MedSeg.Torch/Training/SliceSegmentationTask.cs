using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// 2D and 2.5D segmentation (<c>--mode 2d|2.5d</c>): every slice of the training case-days is a sample (a stack of
/// <see cref="TrainConfig.InSlices"/> neighbours in 2.5D), augmented per sample; validation segments the held-out
/// case-days and reports the uwmgi score; the out-of-fold output is each validation case-day's probabilities. In 2.5D
/// every third draw is forced onto a slice that holds a class (<see cref="SliceOversampling"/>, nnU-Net's one third;
/// <see cref="TrainConfig.OversampleForeground"/>).
/// </summary>
public sealed class SliceSegmentationTask : ITrainingTask
{
    private readonly TrainConfig config;
    private readonly FoldSplit split;
    private readonly SliceRef[] slices;
    private readonly SliceTensors tensors;
    private readonly AugmentationPipeline augmentation;
    private readonly NetworkLoss loss;
    private readonly SliceOversampling oversampling;

    public SliceSegmentationTask(IReadOnlyList<string> classes, TrainConfig config, FoldSplit split)
    {
        Classes = classes;
        this.config = config;
        this.split = split;
        slices = config.SliceSelection().Select(split.Train).Select(SliceRef.Of).ToArray();
        if (slices.Length == 0)
        {
            throw new MedSegException(
                $"slices '{config.Slices}' with ambiguous '{config.Ambiguous}' leaves no training slice in fold {config.Fold}; use slices all or ambiguous keep.");
        }
        tensors = config.InputTensors();
        augmentation = config.AugmentationPipeline();
        loss = new NetworkLoss(SegmentationLoss.Parse(config.Loss), config.Reconstruction);
        oversampling = new SliceOversampling(slices, config.Seed, config.ForegroundEvery);
    }

    public IReadOnlyList<string> Classes { get; }

    public int SampleCount => slices.Length;

    public string Description =>
        split.Describe(config, $"{Plural.Of(split.Train.Count, "case-day")} ({Plural.Of(slices.Length, "slice")}, {oversampling.ForegroundSlices} holding a class{(config.ForegroundEvery > 0 ? $", 1 draw in {config.ForegroundEvery} forced onto them" : "")})",
            $"{Plural.Of(split.Validation.Count, "case-day")} ({Plural.Of(split.Validation.Sum(c => c.Slices.Count), "slice")})");

    public nn.Module<Tensor, Tensor> CreateModel() => TrainingNetworks.Create(config, Classes.Count);

    public TrainingBatch Batch(IReadOnlyList<int> samples, long stream) =>
        tensors.Batch(oversampling.Apply(samples, stream).Select(i => slices[i]).ToArray(), Classes.Count, augmentation, config.Seed, stream);

    /// <summary>Batches built ahead by <see cref="TrainConfig.LoaderThreads"/> threads (decoding through the run's slice cache).</summary>
    public IBatchLoader<TrainingBatch> Batches(IReadOnlyList<BatchPlan> plan) =>
        SliceBatchLoader.Start(tensors, slices, Classes.Count, augmentation, config.Seed, oversampling.Apply(plan), config.Loader());

    public Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingBatch batch) => loss.Compute(model, batch.Inputs, batch.Targets, batch.Ignore);

    public ValidationResult Validate(nn.Module<Tensor, Tensor> model, Device device) =>
        SegmentationValidation.Validate(model, config, Classes, split.Validation, device);

    public void WriteOutOfFold(nn.Module<Tensor, Tensor> model, string folder, Device device) =>
        SegmentationValidation.WriteOutOfFold(model, config, Classes, split.Validation, folder, device);

    public void DecidePostProcessingOnLabels(string runPath) => SegmentationValidation.DecideOnLabels(Classes, split.Train, runPath);
}
