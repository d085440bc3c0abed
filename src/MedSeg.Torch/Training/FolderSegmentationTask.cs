using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// 2-D segmentation of a folder dataset (CamVid-like, <see cref="FolderLayout"/>): every training image is a sample,
/// resized to <c>--image-size</c> (<see cref="FolderTensors"/>); the network has one softmax output per class,
/// background included (mutually exclusive classes), and the loss is a multiclass one (default
/// <see cref="DefaultLoss"/>); validation segments the validation images at their own size and reports the mean IoU;
/// the out-of-fold output is their label maps as index PNGs (<c>oof/ID.png</c>).
/// </summary>
public sealed class FolderSegmentationTask : ITrainingTask
{
    /// <summary>The loss of folder runs when <c>--loss</c> is left at the default: cross-entropy and multiclass soft Dice, half each.</summary>
    public const string DefaultLoss = "ce:0.5+dice:0.5";

    private readonly TrainConfig config;
    private readonly FolderSplit split;
    private readonly FolderTensors tensors;
    private readonly AugmentationPipeline augmentation;
    private readonly SegmentationLoss loss;

    /// <param name="survey">The checked channels and classes of the training and validation images (<see cref="FolderSurvey.Of"/>).</param>
    /// <param name="config">A config resolved by <see cref="Resolve"/>.</param>
    public FolderSegmentationTask(FolderSurvey survey, TrainConfig config, FolderSplit split)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(split);
        Classes = survey.Classes;
        ImageChannels = survey.Channels;
        this.config = config;
        this.split = split;
        var (height, width) = config.ParsedImageSize;
        tensors = new FolderTensors(survey.Channels, height, width, IntensityNormalisation.Parse(config.Normalisation));
        augmentation = config.AugmentationPipeline();
        loss = SegmentationLoss.Parse(config.Loss, LossMode.Multiclass);
    }

    /// <summary>Class names by index, background first: one softmax output each.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Channels of every image (3 = RGB, 1 = gray): the network's input channels.</summary>
    public int ImageChannels { get; }

    public int SampleCount => split.Train.Count;

    public string Description =>
        (split.FromSubfolders
            ? $"train/: {Plural.Of(split.Train.Count, "image")} train, val/: {Plural.Of(split.Validation.Count, "image")} validate"
            : FoldSplit.Describe(split.HeldOut, config, Plural.Of(split.Train.Count, "image"), Plural.Of(split.Validation.Count, "image")))
        + $" ({Classes.Count} classes, background included; {FolderSurvey.Kind(ImageChannels)} images at {config.ImageSize})";

    /// <summary>
    /// <paramref name="config"/> as a folder run uses it: the default <c>--loss</c> (meant for overlapping organ masks)
    /// becomes <see cref="DefaultLoss"/>; options that only apply to MRI case-days are refused when set.
    /// </summary>
    /// <exception cref="MedSegException">A mode other than 2d, the classifier, or an MRI-only data option.</exception>
    public static TrainConfig Resolve(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new TrainConfig();
        if (config.Mode != "2d")
        {
            throw new MedSegException($"--mode {config.Mode} needs slice stacks or volumes, but a folder dataset holds 2-D images; use --mode 2d.");
        }
        if (TrainingNetworks.IsClassifier(config))
        {
            throw new MedSegException($"--arch {TrainingNetworks.Classifier} trains an empty-slice gate for MRI case-days; choose a segmentation architecture for a folder dataset.");
        }
        if (config.RoiCrop != defaults.RoiCrop || config.Slices != defaults.Slices || config.Ambiguous != defaults.Ambiguous)
        {
            throw new MedSegException(
                $"--roi-crop, --slices and --ambiguous select and crop MRI slices; leave them at {defaults.RoiCrop}, {defaults.Slices} and {defaults.Ambiguous} for a folder dataset.");
        }
        var resolved = config.Loss == defaults.Loss ? config with { Loss = DefaultLoss } : config;
        SegmentationLoss.Parse(resolved.Loss, LossMode.Multiclass);
        return resolved;
    }

    public nn.Module<Tensor, Tensor> CreateModel() => TrainingNetworks.Create(config, Classes.Count, ImageChannels);

    public TrainingBatch Batch(IReadOnlyList<int> samples, long stream) =>
        tensors.ToBatch(tensors.Samples(samples.Select(i => split.Train[i]).ToArray(), augmentation, config.Seed, stream, parallel: true));

    /// <summary>Batches built ahead by <see cref="TrainConfig.LoaderThreads"/> threads (decoding, augmentation and resizing on arrays).</summary>
    public IBatchLoader<TrainingBatch> Batches(IReadOnlyList<BatchPlan> plan) =>
        new BatchLoader<AugmentationSample[], TrainingBatch>(plan.Count,
            (b, parallel) => tensors.Samples(plan[b].Samples.Select(i => split.Train[i]).ToArray(), augmentation, config.Seed, plan[b].Stream, parallel),
            tensors.ToBatch, config.Loader());

    public Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingBatch batch) => loss.Compute(model.call(batch.Inputs), batch.Targets);

    public ValidationResult Validate(nn.Module<Tensor, Tensor> model, Device device) =>
        FolderValidation.Validate(FolderValidation.Segmenter(model, config, Classes, ImageChannels, device), split.Validation, config.BatchSize);

    public void WriteOutOfFold(nn.Module<Tensor, Tensor> model, string folder, Device device) =>
        FolderPipeline.Write(FolderValidation.Segmenter(model, config, Classes, ImageChannels, device).Labels, split.Validation, folder, config.BatchSize);
}
