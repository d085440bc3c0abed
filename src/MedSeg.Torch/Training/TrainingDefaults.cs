using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;

namespace MedSeg.Torch.Training;

/// <summary>
/// Fills the defaults of a <see cref="TrainConfig"/> that depend on the data, so that no option the program can infer
/// stops a run (nnU-Net's plans do the same): <c>--folds</c> becomes the number of cases when there are fewer than
/// <see cref="TrainConfig.DefaultFolds"/> (one case trains on everything, <c>--folds 1</c>), and the 3D patch shrinks
/// to the smallest volume, a multiple of the network's size step; the default augmentation of the mode is written
/// out (<see cref="FitAugmentation"/>), a 3D U-Net gets nnU-Net's blocks and deep supervision (<see cref="FitNetwork"/>), and small data gets a fixed number of steps per epoch (<see cref="FitSteps"/>).
/// Values the user gave are kept, so a contradiction they wrote stays an error.
/// </summary>
public static class TrainingDefaults
{
    /// <summary><paramref name="config"/> with its data-dependent defaults resolved for <paramref name="data"/>; <paramref name="message"/> hears each choice.</summary>
    public static TrainConfig FitTo(TrainConfig config, UwMadisonDataset data, Action<string>? message = null)
    {
        var fitted = FitNetwork(FitAugmentation(FitFolds(config, data.CaseDays.Select(c => c.Case).Distinct().Count(), "case", message), message), message);
        var labelMaps = data.CaseDays.Any(c => c.Intensity is not null);
        fitted = FitLoss(fitted, labelMaps, message);
        fitted = labelMaps ? FitImageSize(fitted, data.CaseDays.SelectMany(c => c.Slices).Select(s => (s.Height, s.Width)).ToArray(), message) : fitted;
        if (config.Mode == "3d" && !config.PatchGiven && data.CaseDays.Count > 0)
        {
            var start = config.Device == "cpu" ? CpuPatch : config.Patch;
            var patch = FittedPatch(fitted with { Patch = start }, data);
            if (patch.ToString() != start)
            {
                message?.Invoke($"3D patch {patch} (the default {start}{(start == CpuPatch ? " on the CPU" : "")}, shrunk to the smallest volume and a multiple of the network's size step)");
            }
            else if (start == CpuPatch)
            {
                message?.Invoke($"3D patch {patch}: the CPU default (a quarter of the GPU default {TrainConfig.DefaultPatch}'s voxels, so a step takes seconds, not tens of seconds; --patch sets it)");
            }
            fitted = fitted with { Patch = patch.ToString() };
        }
        return fitted;
    }

    /// <summary>
    /// <paramref name="config"/> with the default <c>--folds</c> lowered to <paramref name="groups"/> when there are fewer
    /// (one <paramref name="unit"/>, e.g. case or image, per fold; a single one trains with <c>--folds 1</c>).
    /// </summary>
    public static TrainConfig FitFolds(TrainConfig config, int groups, string unit, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.FoldsGiven || groups >= config.Folds || groups <= 0)
        {
            return config;
        }
        message?.Invoke(groups == 1
            ? $"1 labelled {unit}: training on all of it with no held-out fold (--folds 1, nnU-Net's 'all'); the last epoch's weights are the model"
            : $"{groups} labelled {unit}s: --folds {groups} (one {unit} per fold) instead of {config.Folds}");
        return config with { Folds = groups };
    }

    /// <summary>
    /// <paramref name="config"/> with <c>--augment</c>, when not given, set to the mode's default pipeline
    /// (<see cref="DefaultAugmentation"/>) spelled out in JSON, so that the run's config.json records what was applied.
    /// </summary>
    public static TrainConfig FitAugmentation(TrainConfig config, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Augment is not null)
        {
            return config;
        }
        var pipeline = DefaultAugmentation.For(config.Mode);
        message?.Invoke($"augmentation: the {config.Mode} default ({pipeline.Summary}); "
            + $"mirroring only along --mirror-axes ({config.MirrorAxes}); --augment none turns it off");
        return config with { Augment = pipeline.ToJson() };
    }

    /// <summary>
    /// <paramref name="config"/> with the 3D U-Nets' network choices the user left open set to nnU-Net's, and recorded:
    /// <c>--layer-order</c> <see cref="Models.Volumetric.LayerOrder.NnUNet"/> (conv → InstanceNorm → LeakyReLU),
    /// <c>--deep-supervision on</c> and <c>--features</c> <see cref="NnUNetFeatures"/> (nnU-Net's first-stage width;
    /// pytorch-3dunet's 64 costs four times the convolution work per step; on the CPU <see cref="CpuFeatures"/>, see
    /// <see cref="CpuPatch"/>). A config that reaches the network without
    /// them (a run saved before they existed) builds pytorch-3dunet's <c>gcr</c> without heads, as it was trained.
    /// </summary>
    public static TrainConfig FitNetwork(TrainConfig config, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Mode != "3d" || !ModelFactory.HasDeepSupervision(config.Arch)
            || (config.LayerOrder is not null && config.DeepSupervision is not null && config.Features is not null && config.LrGiven && config.GradClipGiven))
        {
            return config;
        }
        var fitted = config with
        {
            LayerOrder = config.LayerOrder ?? Models.Volumetric.LayerOrder.NnUNet,
            DeepSupervision = config.DeepSupervision ?? true,
            Features = config.Features ?? (config.Device == "cpu" ? CpuFeatures : NnUNetFeatures),
            Lr = config.LrGiven ? config.Lr : VolumetricUNetLr,
            GradClip = config.GradClipGiven ? config.GradClip : VolumetricUNetGradClip,
        };
        message?.Invoke($"3D network as nnU-Net's{(fitted.Features == CpuFeatures && config.Features is null ? ", sized for the CPU" : "")}: --layer-order {fitted.LayerOrder} (conv → InstanceNorm → LeakyReLU), --deep-supervision {(fitted.DeepSupervision == true ? "on" : "off")}, "
            + $"--features {fitted.Features}, --lr {fitted.Lr}, --grad-clip {fitted.GradClip}; --layer-order {Models.Volumetric.LayerOrder.Default} --deep-supervision off --features 64 is pytorch-3dunet's");
        return fitted;
    }

    /// <summary>
    /// <paramref name="config"/> with <c>--loss</c> and <c>--output-prior</c>, when not given, set to <see cref="LabelMapLoss"/> and <see cref="LabelMapOutputPrior"/> for
    /// <paramref name="labelMaps"/> (nnU-Net data, whose structures may be a few hundred voxels of a volume). There the
    /// competition's <c>bce:0.5+dice:0.5</c> learns nothing in a short run: the per-pixel BCE, averaged over every voxel
    /// and class, drives each class's logits far below zero within the first steps, where the sigmoid is flat and the
    /// Dice term's gradient on the few foreground voxels vanishes. Synthetic brain, 2.5D, 12 minutes: Dice 0.000 with
    /// <c>bce:0.5+dice:0.5</c> and with <c>bce:0.1+dice:0.9</c>, 0.550 with Dice alone.
    /// </summary>
    public static TrainConfig FitLoss(TrainConfig config, bool labelMaps, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!labelMaps || config.Arch == "classifier" || Models.ModelFactory.IsCapsuleNetwork(config.Arch))
        {
            return config;
        }
        var fitted = config;
        if (!config.LossGiven)
        {
            message?.Invoke($"--loss {LabelMapLoss}: label maps, whose structures may be a few hundred voxels (BCE over every voxel drowns them); {TrainConfig.DefaultLoss} is the UW-Madison default");
            fitted = fitted with { Loss = LabelMapLoss };
        }
        if (config.OutputPrior is null)
        {
            message?.Invoke($"--output-prior {LabelMapOutputPrior}: every class starts at probability {LabelMapOutputPrior}, not ½, so training starts on the structures instead of on clearing the background");
            fitted = fitted with { OutputPrior = LabelMapOutputPrior };
        }
        return fitted;
    }

    /// <summary>
    /// <paramref name="config"/> with <c>--image-size</c>, when not given in 2D / 2.5D, set to the median size of
    /// <paramref name="slices"/> rounded to a multiple of the networks' stride (nnU-Net's 2D plan trains at the data's
    /// own resolution), shrunk on the CPU so the longer side is at most <see cref="CpuImageSide"/>. Used for label maps,
    /// whose structures may be a few voxels across: resampling 96×96 brain slices to the UW-Madison default 128×128
    /// cost 1.8 times the work per step and, in 12 minutes, held-out Dice 0.42 against 0.78 at 96×96.
    /// </summary>
    public static TrainConfig FitImageSize(TrainConfig config, IReadOnlyList<(int Height, int Width)> slices, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(slices);
        if (config.ImageSizeGiven || config.Mode == "3d" || slices.Count == 0)
        {
            return config;
        }
        var height = Median(slices.Select(s => s.Height));
        var width = Median(slices.Select(s => s.Width));
        var scale = config.Device == "cpu" ? Math.Min(1.0, CpuImageSide / (double)Math.Max(height, width)) : 1.0;
        var size = $"{Unet.NearestValid((long)Math.Round(height * scale))}x{Unet.NearestValid((long)Math.Round(width * scale))}";
        message?.Invoke($"--image-size {size}: the slices' own size ({height}x{width}, median){(scale < 1 ? $", shrunk to at most {CpuImageSide} a side on the CPU" : "")}, a multiple of {Unet.OutputStride}");
        return config with { ImageSize = size };
    }

    /// <summary>The longest side a CPU run resizes label-map slices to when <c>--image-size</c> is not given.</summary>
    public const int CpuImageSide = 256;

    private static int Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The loss of runs on label maps (nnU-Net data) when <c>--loss</c> is not given.</summary>
    public const string LabelMapLoss = "dice";

    /// <summary>
    /// The output prior (<see cref="TrainConfig.OutputPrior"/>) of runs on label maps when <c>--output-prior</c> is not
    /// given: RetinaNet's 0.01. With zero output bias every voxel starts at probability ½, so the soft Dice of a
    /// structure of a few hundred voxels starts near 0 (its denominator is half the patch) and the first steps go to
    /// pushing the whole background down, a few thousandths of a logit per AdamW step. Synthetic brain, 3D defaults,
    /// 100 steps: Dice loss 0.905 → 0.899 and held-out Dice 0.004 with zero bias, 0.869 → 0.724 and 0.427 with 0.01.
    /// </summary>
    public const double LabelMapOutputPrior = 0.01;

    /// <summary>First-level width of a new 3D U-Net run when <c>--features</c> is not given: nnU-Net's <c>UNet_base_num_features</c>.</summary>
    public const int NnUNetFeatures = 32;

    /// <summary>
    /// First-level width of a new 3D U-Net trained on the CPU when <c>--features</c> is not given: half nnU-Net's.
    /// nnU-Net sizes its plan to a GPU; on 2 CPU cores its 32 features on a 32×96×96 patch take about 16 s a step (45
    /// steps in 12 minutes), 16 features on <see cref="CpuPatch"/> 2.3 s. Synthetic brain, one training subject: 1025
    /// such steps (40 minutes) reach held-out Dice 0.895 and HD95 1.1 mm, where copying the labels scores 0.468 / 4.5 mm.
    /// </summary>
    public const int CpuFeatures = 16;

    /// <summary>
    /// Peak AdamW learning rate of a new 3D U-Net when <c>--lr</c> is not given (2D networks keep
    /// <see cref="TrainConfig.DefaultLr"/>). Synthetic brain, one training subject, 12 CPU minutes (≈300 steps of 2
    /// patches, 16 features, 32×64×64): held-out Dice 0.043 at 1e-3, 0.809 at 3e-3 — at 1e-3 the Dice loss is still near
    /// 0.9 after 100 steps, while nnU-Net's own SGD runs at 1e-2.
    /// </summary>
    public const double VolumetricUNetLr = 3e-3;

    /// <summary>
    /// Global gradient-norm clip of a new 3D U-Net when <c>--grad-clip</c> is not given: nnU-Net's 12. At
    /// <see cref="VolumetricUNetLr"/> a narrow network (4 features) went to NaN within 3 epochs without it.
    /// </summary>
    public const double VolumetricUNetGradClip = 12;

    /// <summary>The 3D patch a CPU run starts from when <c>--patch</c> is not given (then shrunk to the data): a quarter of <see cref="TrainConfig.DefaultPatch"/>'s voxels.</summary>
    public const string CpuPatch = "32x64x64";

    /// <summary>
    /// <paramref name="config"/> with <c>--steps-per-epoch</c>, when not given, set for <paramref name="samples"/>
    /// training samples. 3D mode, where a sample is a patch and one pass tiles the training volumes once: at least the
    /// steps that draw <see cref="TrainConfig.DefaultMinimumPatchesPerEpoch"/> patches, foreground-oversampled and
    /// newly augmented each time (one volume is otherwise one or two steps an epoch, each followed by a checkpoint
    /// and, with a held-out fold, a whole-volume validation). nnU-Net's epoch is 250 steps of 2 patches, 2–3 minutes
    /// on a GPU; a step on 2 CPU cores is roughly 10 times slower, so a tenth of its patches keeps an epoch at
    /// minutes, whatever the batch size. The 2D modes keep one pass: every slice is a sample, so one real volume
    /// (80–250 slices) already makes 10–30 steps of 8.
    /// </summary>
    public static TrainConfig FitSteps(TrainConfig config, int samples, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var onePass = Math.Max(1, samples / config.BatchSize / config.Accumulate);
        var steps = (TrainConfig.DefaultMinimumPatchesPerEpoch + (config.BatchSize * config.Accumulate) - 1) / (config.BatchSize * config.Accumulate);
        if (config.StepsPerEpochGiven || config.Mode != "3d" || onePass >= steps)
        {
            return config;
        }
        message?.Invoke($"--steps-per-epoch {steps}: {Plural.Of(samples, "patch")} tile the training volumes once, only {Plural.Of(onePass, "step")} of {config.BatchSize}; "
            + $"each epoch draws {steps * config.BatchSize * config.Accumulate} patches instead (1 in 3 on foreground, new augmentation each time)");
        return config with { StepsPerEpoch = steps };
    }

    private static PatchSize FittedPatch(TrainConfig config, UwMadisonDataset data)
    {
        var step = SizeStep(config);
        var shapes = data.CaseDays.Select(CaseDayVolume.Shape).ToArray();
        var smallest = new[] { shapes.Min(s => s.Depth), shapes.Min(s => s.Height), shapes.Min(s => s.Width) };
        var sizes = config.ParsedPatch.Sizes.Select((size, axis) => Math.Max(step, Math.Min(size, smallest[axis]) / step * step)).ToArray();
        return new PatchSize(sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>What every patch side of the config's 3D network must be a multiple of, from the config alone (no network is built).</summary>
    internal static int SizeStep(TrainConfig config) =>
        ModelFactory.IsVolumetric(config.Arch) ? ModelFactory.SizeMultiple(config.Arch, TrainingNetworks.Options(config)) : 1;
}
