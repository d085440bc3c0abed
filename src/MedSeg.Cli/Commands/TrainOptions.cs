using System.CommandLine;
using MedSeg.Core;
using MedSeg.Torch.Training;

namespace MedSeg.Cli.Commands;

/// <summary>
/// The training options <c>medseg train</c> and <c>medseg compare</c> share (all but <c>--data</c>, <c>--out</c>,
/// <c>--config</c>, <c>--mode</c> and <c>--resume</c>), and how they override a <see cref="TrainConfig"/>.
/// </summary>
public sealed class TrainOptions
{
    private static readonly TrainConfig Defaults = new();
    private readonly Option<string?> arch = new("--arch") { Description = $"Architecture (see medseg models), or classifier: per-class slice presence, the --gate of predict [default: {Defaults.Arch} in 2d/2.5d, {TrainConfig.DefaultVolumetricArch} in 3d]." };
    private readonly Option<int?> outputStride = new("--output-stride") { Description = "Encoder output stride: 8, 16 or 32 for deeplabv3plus [default: 16, as smp]." };
    private readonly Option<string?> encoder = new("--encoder") { Description = $"Encoder [default: {Defaults.Encoder} for a 2D network, none for a 3D one]." };
    private readonly Option<int?> inSlices = new("--in-slices") { Description = $"2.5D: slices per input stack [default: {Defaults.InSlices}]." };
    private readonly Option<int?> sliceStride = new("--slice-stride") { Description = $"2.5D: slice step between stacked slices [default: {Defaults.SliceStride}]." };
    private readonly Option<string?> imageSize = new("--image-size") { Description = $"Network input HxW, multiples of 32 [default: {TrainConfig.DefaultImageSize}; on nnU-Net data the slices' own size, on the CPU at most {MedSeg.Torch.Training.TrainingDefaults.CpuImageSide} a side]." };
    private readonly Option<string?> patch = new("--patch") { Description = $"3D: training patch and sliding window DxHxW, multiples of the network's size step [default: {Defaults.Patch} with --device cuda, {TrainingDefaults.CpuPatch} on the CPU, shrunk to the smallest volume]." };
    private readonly Option<int?> features = new("--features") { Description = "3D and segcaps: width of the network's first level (capsule networks: atoms per capsule) [default: the architecture's; for unet3d/residualunet3d 32 as nnU-Net with --device cuda, 16 on the CPU]." };
    private readonly Option<int?> levels = new("--levels") { Description = "3D: resolution levels of the network [default: the architecture's]." };
    private readonly Option<string?> layerOrder = new("--layer-order") { Description = $"3D U-Nets: block order, letters {MedSeg.Torch.Models.Volumetric.LayerOrder.Letters}, e.g. gcr (pytorch-3dunet) [default: {MedSeg.Torch.Models.Volumetric.LayerOrder.NnUNet}, nnU-Net's conv → InstanceNorm → LeakyReLU]." };
    private readonly Option<string?> deepSupervision = new("--deep-supervision") { Description = "3D U-Nets: on or off; nnU-Net's auxiliary decoder heads, loss weights 1, 1/2, 1/4 … normalised, full-resolution output only at inference [default: on]." };
    private readonly Option<int?> routings = new("--routings") { Description = "Capsule networks (segcaps, capsnet3d): dynamic-routing iterations [default: 3, as the papers]." };
    private readonly Option<double?> reconstruction = new("--reconstruction") { Description = "Capsule networks: weight of the masked reconstruction loss added to --loss [default: 0 = off]." };
    private readonly Option<int?> epochs = new("--epochs") { Description = $"Epochs; the learning-rate schedule spans them [default: {TrainConfig.DefaultEpochs}; with --max-minutes, as many as fit the budget at the first epoch's pace]." };
    private readonly Option<int?> batchSize = new("--batch-size") { Description = $"Slices (3d: patches) per step [default: {Defaults.BatchSize}; {TrainConfig.DefaultVolumetricBatch} in 3d, as nnU-Net]." };
    private readonly Option<double?> lr = new("--lr") { Description = $"Peak learning rate of AdamW with cosine decay [default: {Defaults.Lr}; {TrainingDefaults.VolumetricUNetLr} for a new unet3d/residualunet3d]." };
    private readonly Option<string?> loss = new("--loss") { Description = $"Loss terms, e.g. bce:0.5+dice:0.5 [default: {Defaults.Loss}]." };
    private readonly Option<int?> folds = new("--folds") { Description = $"Number of GroupKFold folds (by case); 1 = train on every case-day, no held-out fold (nnU-Net's all) [default: {TrainConfig.DefaultFolds}, or the number of cases when fewer]." };
    private readonly Option<string?> fold = new("--fold") { Description = $"Validation fold index [default: {Defaults.Fold}]." };
    private readonly Option<int?> seed = new("--seed") { Description = $"Seed for weights, split and shuffling [default: {Defaults.Seed}]." };
    private readonly Option<string?> device = new("--device") { Description = $"cpu or cuda [default: {Defaults.Device}]." };
    private readonly Option<double?> maxMinutes = new("--max-minutes") { Description = "Stop after the step that passes this many minutes, then validate and save (0 = no limit)." };
    private readonly Option<int?> threads = new("--threads") { Description = "CPU threads for libtorch [default: libtorch's choice]." };
    private readonly Option<string?> optimizer = new("--optimizer") { Description = $"adamw or sgd [default: {Defaults.Optimizer}]." };
    private readonly Option<string?> schedule = new("--schedule") { Description = $"Learning-rate schedule: cosine, poly, onecycle, constant [default: {Defaults.Schedule}]." };
    private readonly Option<double?> warmup = new("--warmup-epochs") { Description = $"Linear warm-up epochs [default: {Defaults.WarmupEpochs}]." };
    private readonly Option<double?> gradClip = new("--grad-clip") { Description = "Clip gradients to this global L2 norm (0 = off) [off; 12 for a new 3D U-Net, as nnU-Net]." };
    private readonly Option<int?> accumulate = new("--accumulate") { Description = $"Batches per optimiser step (gradient accumulation) [default: {Defaults.Accumulate}]." };
    private readonly Option<int?> stepsPerEpoch = new("--steps-per-epoch") { Description = $"Optimiser steps per epoch, drawing samples (3D patches, with foreground oversampling) again as needed, as nnU-Net's 250; 0 = one pass over the training samples [default: one pass; in 3d at least the steps that draw {TrainConfig.DefaultMinimumPatchesPerEpoch} patches, e.g. 25 of 2]." };
    private readonly Option<double?> ema = new("--ema") { Description = "Weight EMA decay, e.g. 0.999; the EMA is validated and saved (0 = off)." };
    private readonly Option<int?> valEvery = new("--val-every") { Description = $"Validate every N epochs and after the last (also when --max-minutes stops the run); 0 = never [default: about {TrainConfig.DefaultValidations} times per run, every ceil(epochs/{TrainConfig.DefaultValidations}) epochs; with --folds 1: 0, and a given N validates on the training data]." };
    private readonly Option<int?> patience = new("--patience") { Description = "Early stopping: epochs without a better validation score (0 = off)." };
    private readonly Option<string?> augment = new("--augment") { Description = "Augmentation pipeline: a JSON file, inline JSON, e.g. '[{\"name\":\"gamma\",\"p\":0.3}]', or none (stored in config.json) [default: nnU-Net-like rotation/scaling, elastic, noise, blur, brightness/contrast, low resolution and gamma, no mirroring]." };
    private readonly Option<string?> mirrorAxes = new("--mirror-axes") { Description = $"Axes the anatomy is symmetric along, flipped in training (p 0.5 each) and by predict --tta auto: none, or a list of h (left-right), v (up-down), d (slices, 3d), e.g. h [default: {Defaults.MirrorAxes}]." };
    private readonly Option<double?> outputPrior = new("--output-prior") { Description = "Probability every class's output starts at in a new network: output-layer bias logit(P), RetinaNet's prior initialisation [default: zero bias; 0.01 on label maps (nnU-Net data)]." };
    private readonly Option<double?> oversampleForeground = new("--oversample-foreground") { Description = "Share of training draws forced onto foreground, as nnU-Net's oversample_foreground_percent: one in round(1/F) 3D patches centred on a labelled voxel, or 2D/2.5D slices holding a class; 0 = off [default: 0.33, one in three, in 3d and 2.5d; 0 in 2d]." };
    private readonly Option<string?> normalisation = new("--normalisation") { Description = $"Intensity scaling: per-image-max, zscore, percentile:LO:HI (clip, then z-score) or window:LO:HI (original units, e.g. HU, for nnU-Net data) [default: {Defaults.Normalisation}]." };
    private readonly Option<string?> slices = new("--slices") { Description = $"Training slices: all, or annotated (any positive mask) [default: {Defaults.Slices}]." };
    private readonly Option<string?> ambiguous = new("--ambiguous") { Description = $"The slice before an organ's first / after its last annotated slice: keep, ignore (no loss) or drop [default: {Defaults.Ambiguous}]." };
    private readonly Option<string?> roiCrop = new("--roi-crop") { Description = $"Body crop before resizing: none, slice:F or case-day:F (drop borders below F × max); predictions are pasted back [default: {Defaults.RoiCrop}]." };
    private readonly Option<int?> cacheMb = new("--cache-mb") { Description = $"RAM for decoded slices kept between epochs, MiB [default: {Defaults.CacheMb}]." };
    private readonly Option<int?> loaderThreads = new("--loader-threads") { Description = $"Threads building batches ahead of the step (0 = none) [default: {Defaults.LoaderThreads}]." };
    private readonly Option<int?> prefetch = new("--prefetch") { Description = $"Batches built ahead at most [default: {Defaults.Prefetch}]." };
    private readonly Option<string?> precision = new("--precision") { Description = $"bf16 (bfloat16 convolutions, channels-last; fp32 on a CPU without bf16 instructions), fp16 (float16 with dynamic loss scaling, for CUDA) or fp32 [default: {Defaults.Precision}]." };

    /// <summary>Every option, in the order <c>--help</c> lists them.</summary>
    public IEnumerable<Option> All =>
    [
        arch, outputStride, encoder, inSlices, sliceStride, imageSize, patch, features, levels, layerOrder, deepSupervision, routings, reconstruction, epochs, batchSize, lr, loss, folds, fold, seed, device, maxMinutes, threads, optimizer, schedule, warmup, gradClip, accumulate, stepsPerEpoch, ema, valEvery, patience, augment, mirrorAxes, oversampleForeground, outputPrior, normalisation, slices, ambiguous, roiCrop, cacheMb, loaderThreads, prefetch, precision,
    ];

    /// <summary>The <c>--max-minutes</c> given on the command line, or null.</summary>
    public double? MaxMinutes(ParseResult parsed) => parsed.GetValue(maxMinutes);

    /// <summary><paramref name="c"/> with every option given on the command line in its place.</summary>
    public TrainConfig Apply(ParseResult parsed, TrainConfig c) => ApplyDefaulted(parsed, c) with
    {
        OutputStride = parsed.GetValue(outputStride) ?? c.OutputStride,
        InSlices = parsed.GetValue(inSlices) ?? c.InSlices,
        SliceStride = parsed.GetValue(sliceStride) ?? c.SliceStride,
        Features = parsed.GetValue(features) ?? c.Features,
        Levels = parsed.GetValue(levels) ?? c.Levels,
        LayerOrder = parsed.GetValue(layerOrder) ?? c.LayerOrder,
        DeepSupervision = OnOff(parsed.GetValue(deepSupervision), "--deep-supervision") ?? c.DeepSupervision,
        Routings = parsed.GetValue(routings) ?? c.Routings,
        Reconstruction = parsed.GetValue(reconstruction) ?? c.Reconstruction,
        Fold = parsed.GetValue(fold) ?? c.Fold,
        Seed = parsed.GetValue(seed) ?? c.Seed,
        Device = parsed.GetValue(device) ?? c.Device,
        MaxMinutes = parsed.GetValue(maxMinutes) ?? c.MaxMinutes,
        Threads = parsed.GetValue(threads) ?? c.Threads,
        Optimizer = parsed.GetValue(optimizer) ?? c.Optimizer,
        Schedule = parsed.GetValue(schedule) ?? c.Schedule,
        WarmupEpochs = parsed.GetValue(warmup) ?? c.WarmupEpochs,
        Accumulate = parsed.GetValue(accumulate) ?? c.Accumulate,
        Ema = parsed.GetValue(ema) ?? c.Ema,
        Patience = parsed.GetValue(patience) ?? c.Patience,
        Precision = parsed.GetValue(precision) ?? c.Precision,
        Normalisation = parsed.GetValue(normalisation) ?? c.Normalisation,
        Slices = parsed.GetValue(slices) ?? c.Slices,
        Ambiguous = parsed.GetValue(ambiguous) ?? c.Ambiguous,
        RoiCrop = parsed.GetValue(roiCrop) ?? c.RoiCrop,
        CacheMb = parsed.GetValue(cacheMb) ?? c.CacheMb,
        LoaderThreads = parsed.GetValue(loaderThreads) ?? c.LoaderThreads,
        Prefetch = parsed.GetValue(prefetch) ?? c.Prefetch,
        Augment = AugmentText(parsed.GetValue(augment)) ?? c.Augment,
        MirrorAxes = parsed.GetValue(mirrorAxes) ?? c.MirrorAxes,
    };

    /// <summary>
    /// The options whose defaults follow the mode or the data (<see cref="TrainConfig.Arch"/>, <c>Encoder</c>,
    /// <c>Patch</c>, <c>Epochs</c>, <c>Loss</c>, <c>Folds</c>, <c>BatchSize</c>, <c>StepsPerEpoch</c>, <c>OversampleForeground</c>, <c>Lr</c>, <c>ValEvery</c>): set only when given, so an unset one keeps following them.
    /// </summary>
    private TrainConfig ApplyDefaulted(ParseResult parsed, TrainConfig c)
    {
        c = parsed.GetValue(arch) is { } a ? c with { Arch = a } : c;
        c = parsed.GetValue(encoder) is { } e ? c with { Encoder = e } : c;
        c = parsed.GetValue(patch) is { } p ? c with { Patch = p } : c;
        c = parsed.GetValue(epochs) is { } n ? c with { Epochs = n } : c;
        c = parsed.GetValue(loss) is { } l ? c with { Loss = l } : c;
        c = parsed.GetValue(folds) is { } f ? c with { Folds = f } : c;
        c = parsed.GetValue(batchSize) is { } b ? c with { BatchSize = b } : c;
        c = parsed.GetValue(stepsPerEpoch) is { } s ? c with { StepsPerEpoch = s } : c;
        c = parsed.GetValue(oversampleForeground) is { } o ? c with { OversampleForeground = o } : c;
        c = parsed.GetValue(outputPrior) is { } q ? c with { OutputPrior = q } : c;
        c = parsed.GetValue(lr) is { } r ? c with { Lr = r } : c;
        c = parsed.GetValue(gradClip) is { } g ? c with { GradClip = g } : c;
        c = parsed.GetValue(imageSize) is { } i ? c with { ImageSize = i } : c;
        return parsed.GetValue(valEvery) is { } v ? c with { ValEvery = v } : c;
    }

    /// <summary><c>on</c> → true, <c>off</c> → false, not given → null.</summary>
    private static bool? OnOff(string? value, string option) => value switch
    {
        null => null,
        "on" => true,
        "off" => false,
        _ => throw new MedSegException($"{option} {value} is not valid; use on or off."),
    };

    /// <summary>The pipeline JSON given to <c>--augment</c>: inline when it starts with '[', <c>none</c> as it is, else the file's content.</summary>
    private static string? AugmentText(string? value)
    {
        if (value is null || value.TrimStart().StartsWith('[') || value.Trim() == DefaultAugmentation.None)
        {
            return value;
        }
        if (!File.Exists(value))
        {
            throw new MedSegException($"--augment {value}: no such file; give a JSON file, inline JSON starting with '[', or none.");
        }
        return File.ReadAllText(value);
    }
}
