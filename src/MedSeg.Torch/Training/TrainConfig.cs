using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Torch.Training;

/// <summary>
/// Everything that defines a training run. Property names serialise to the CLI's option names in snake_case
/// (<c>--batch-size</c> ↔ <c>batch_size</c>), so a <c>--config FILE.json</c> and the run folder's
/// <c>config.json</c> use the same keys.
/// </summary>
public sealed record TrainConfig
{
    /// <summary><c>2d</c> (one slice in), <c>2.5d</c> (<see cref="InSlices"/> neighbouring slices as channels) or <c>3d</c>
    /// (a 3D network trained on <see cref="Patch"/>-sized patches of whole case-day volumes).</summary>
    public string Mode { get; init; } = "2d";

    /// <summary>The network (see <c>medseg models</c>); unless set, <c>unet</c> in the 2D modes and <c>unet3d</c> in 3D mode.</summary>
    public string Arch { get => arch ?? (Mode == "3d" ? DefaultVolumetricArch : "unet"); init => arch = value; }

    /// <summary>The encoder; unless set, <c>resnet34</c> for a 2D encoder–decoder network and <c>none</c> for a network with its own (3D, <c>segcaps</c>).</summary>
    public string Encoder { get => encoder ?? (Models.ModelFactory.HasOwnEncoder(Arch) ? Models.ModelFactory.NoEncoder : "resnet34"); init => encoder = value; }
    /// <summary>Encoder output stride (8, 16 or 32 for <c>deeplabv3plus</c>, whose default is smp's 16; null = the arch's default).</summary>
    public int? OutputStride { get; init; }
    /// <summary>Slices per input stack in 2.5D mode (odd; the target slice is the centre).</summary>
    public int InSlices { get; init; } = 3;
    /// <summary>Distance in slices between the stack's neighbours in 2.5D mode.</summary>
    public int SliceStride { get; init; } = 2;
    /// <summary>
    /// Network input size <c>HxW</c>; slices are resized to it (bilinear) and predictions resized back. Unless set,
    /// <see cref="DefaultImageSize"/>; on label maps (nnU-Net data) the slices' own size (<see cref="TrainingDefaults.FitImageSize"/>).
    /// </summary>
    public string ImageSize { get => imageSize ?? DefaultImageSize; init => imageSize = value; }

    /// <summary>False while <see cref="ImageSize"/> is the default, which follows the slices of label-map data.</summary>
    [JsonIgnore]
    public bool ImageSizeGiven => imageSize is not null;

    /// <summary>The network input size of UW-Madison runs when <c>--image-size</c> is not given.</summary>
    public const string DefaultImageSize = "128x128";
    /// <summary>3D mode: training patch <c>DxHxW</c> (slices × rows × columns at the images' own resolution), also the sliding window of validation and prediction.</summary>
    public string Patch { get => patch ?? DefaultPatch; init => patch = value; }

    /// <summary>False while <see cref="Patch"/> is the default, which <see cref="TrainingDefaults"/> fits to the data.</summary>
    [JsonIgnore]
    public bool PatchGiven => patch is not null;
    /// <summary>3D mode and <c>segcaps</c>: width of the network's first level (null = the architecture's default).</summary>
    public int? Features { get; init; }
    /// <summary>3D mode: resolution levels of the network (null = the architecture's default).</summary>
    public int? Levels { get; init; }
    /// <summary>
    /// 3D U-Nets: block order (<see cref="Models.Volumetric.LayerOrder"/>, e.g. <c>gcr</c>, <c>cil</c>). Null = pytorch-3dunet's
    /// <c>gcr</c>, which every run before this option was trained with; a new 3D run records nnU-Net's <c>cil</c>
    /// unless the user chose (<see cref="TrainingDefaults.FitNetwork"/>).
    /// </summary>
    public string? LayerOrder { get; init; }
    /// <summary>
    /// 3D U-Nets: nnU-Net's deep supervision (auxiliary heads on the decoder stages, loss weights 1, ½, ¼ … normalised;
    /// see <see cref="Models.IDeepSupervisedModel"/>). Null = off, as every run before this option; a new 3D run records
    /// on unless the user chose (<see cref="TrainingDefaults.FitNetwork"/>).
    /// </summary>
    public bool? DeepSupervision { get; init; }
    /// <summary>Capsule networks: dynamic-routing iterations (null = the papers' 3).</summary>
    public int? Routings { get; init; }
    /// <summary>Capsule networks: weight of the masked reconstruction loss added to <see cref="Loss"/> (0 = off, no reconstruction decoder).</summary>
    public double Reconstruction { get; init; }
    /// <summary>
    /// Passes of <see cref="StepsPerEpoch"/> steps; the learning-rate schedule spans them. Unless set,
    /// <see cref="DefaultEpochs"/>, or with <see cref="MaxMinutes"/> the epochs that fit the budget, planned from the
    /// first epoch's pace (<see cref="TimeBudget.EpochsThatFit"/>) and written into the run's config.json.
    /// </summary>
    public int Epochs { get => epochs ?? DefaultEpochs; init => epochs = value; }

    /// <summary>False while <see cref="Epochs"/> is the default, which a <c>--max-minutes</c> run plans from its pace.</summary>
    [JsonIgnore]
    public bool EpochsGiven => epochs is not null;
    /// <summary>
    /// Samples per step: slices in the 2D modes (default 8), patches in 3D mode (default <see cref="DefaultVolumetricBatch"/>,
    /// nnU-Net's 2: on a CPU, small batches of large patches give four times the optimiser steps of 8 in the same minutes,
    /// and an 8-patch batch of a 64-wide 3D U-Net needs several GB).
    /// </summary>
    public int BatchSize { get => batchSize ?? (Mode == "3d" ? DefaultVolumetricBatch : 8); init => batchSize = value; }
    public double Lr { get => lr ?? DefaultLr; init => lr = value; }

    /// <summary>False while <see cref="Lr"/> is the default, which <see cref="TrainingDefaults.FitNetwork"/> raises for a new 3D U-Net.</summary>
    [JsonIgnore]
    public bool LrGiven => lr is not null;

    /// <summary>The peak learning rate of AdamW unless <c>--lr</c> is given (a 3D U-Net: <see cref="TrainingDefaults.VolumetricUNetLr"/>).</summary>
    public const double DefaultLr = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary><c>adamw</c> or <c>sgd</c>.</summary>
    public string Optimizer { get; init; } = "adamw";
    /// <summary>Learning-rate schedule over all optimiser steps: <c>cosine</c>, <c>poly</c>, <c>onecycle</c>, <c>constant</c>.</summary>
    public string Schedule { get; init; } = "cosine";
    /// <summary>Epochs of linear warm-up (fractions allowed) for cosine, poly and constant.</summary>
    public double WarmupEpochs { get; init; }
    /// <summary>
    /// Gradient clipping by global L2 norm (0 = off). Unless set, off; a new 3D U-Net clips at
    /// <see cref="TrainingDefaults.VolumetricUNetGradClip"/> (<see cref="TrainingDefaults.FitNetwork"/>).
    /// </summary>
    public double GradClip { get => gradClip ?? 0; init => gradClip = value; }

    /// <summary>False while <see cref="GradClip"/> is the default, which <see cref="TrainingDefaults.FitNetwork"/> sets for a new 3D U-Net.</summary>
    [JsonIgnore]
    public bool GradClipGiven => gradClip is not null;
    /// <summary>Batches whose gradients are summed before each optimiser step.</summary>
    public int Accumulate { get; init; } = 1;
    /// <summary>
    /// Probability every class's output starts at in a new network (RetinaNet's prior initialisation): the bias of the
    /// output layer and of the deep-supervision heads is set to logit(P). Unset: zero bias (P = ½), as smp. Runs on
    /// label maps (nnU-Net data) default to <see cref="TrainingDefaults.LabelMapOutputPrior"/>
    /// (<see cref="TrainingDefaults.FitLoss"/>).
    /// </summary>
    public double? OutputPrior { get; init; }
    /// <summary>
    /// Optimiser steps per epoch, as nnU-Net's fixed 250 iterations: patches (3D) or slices drawn again, with new
    /// augmentation and foreground draws, until the steps are done; 0 = one pass over the training samples. Unless
    /// set, one pass; in 3D mode at least the steps that draw <see cref="DefaultMinimumPatchesPerEpoch"/> patches
    /// (small data; <see cref="TrainingDefaults.FitSteps"/>).
    /// </summary>
    public int StepsPerEpoch { get => stepsPerEpoch ?? 0; init => stepsPerEpoch = value; }

    /// <summary>False while <see cref="StepsPerEpoch"/> is the default, which <see cref="TrainingDefaults"/> fits to the number of samples.</summary>
    [JsonIgnore]
    public bool StepsPerEpochGiven => stepsPerEpoch is not null;
    /// <summary>Decay of the weight EMA that is validated and saved instead of the raw weights (0 = off; e.g. 0.999).</summary>
    public double Ema { get; init; }
    /// <summary>
    /// Validate every N epochs (and always after the last, also when <see cref="MaxMinutes"/> ends the run early);
    /// 0 = never. Unless set: with a held-out fold, about <see cref="DefaultValidations"/> validations over the run
    /// (every ⌈epochs / 5⌉ epochs: every epoch up to 5 epochs, every 2nd of 10), so the full sliding-window
    /// validation stays a small part of the time; 0 with <c>--folds 1</c>, where a validation the user asks for runs
    /// on the training data.
    /// </summary>
    public int ValEvery { get => valEvery ?? (Folds == 1 ? 0 : (Epochs + DefaultValidations - 1) / DefaultValidations); init => valEvery = value; }
    /// <summary>Stop when the validation score has not improved for this many epochs (0 = never).</summary>
    public int Patience { get; init; }
    /// <summary>
    /// Weighted sum of terms, e.g. <c>bce:0.5+dice:0.5</c>; see <see cref="Losses.SegmentationLoss"/>. Unless set,
    /// <see cref="DefaultLoss"/>; on label maps (nnU-Net data) <see cref="TrainingDefaults.LabelMapLoss"/>, on folder data
    /// <see cref="FolderSegmentationTask.DefaultLoss"/>.
    /// </summary>
    public string Loss { get => loss ?? DefaultLoss; init => loss = value; }

    /// <summary>False while <see cref="Loss"/> is the default, which follows the data.</summary>
    [JsonIgnore]
    public bool LossGiven => loss is not null;

    /// <summary>The loss of UW-Madison runs when <c>--loss</c> is not given (the competition winners' BCE + Dice).</summary>
    public const string DefaultLoss = "bce:0.5+dice:0.5";
    /// <summary>
    /// GroupKFold folds by case; 1 = train on every labelled case-day with no held-out fold (nnU-Net's <c>all</c>). Unless
    /// set, 5, or the number of cases when there are fewer (<see cref="TrainingDefaults"/>).
    /// </summary>
    public int Folds { get => folds ?? DefaultFolds; init => folds = value; }

    /// <summary>False while <see cref="Folds"/> is the default, which <see cref="TrainingDefaults"/> fits to the number of cases.</summary>
    [JsonIgnore]
    public bool FoldsGiven => folds is not null;

    /// <summary>True with <c>--folds 1</c>: every case-day trains, none is held out, the last epoch's weights are the model.</summary>
    [JsonIgnore]
    public bool TrainsOnAll => Folds == 1;

    /// <summary>
    /// Train on only this many of the fold's training cases (patients), a subset drawn from <see cref="Seed"/> so that
    /// a smaller count keeps a subset of a larger one's cases (<see cref="FoldSplit.KeepTrainingCases"/>); the
    /// validation case-days stay the fold's. Null = every training case. Set by <c>medseg compare --train-sizes</c>.
    /// </summary>
    public int? TrainCases { get; init; }
    /// <summary>Validation fold index as text (<c>0</c>…<c>folds-1</c>), or <c>all</c> to train one run per fold.</summary>
    public string Fold { get; init; } = "0";
    public int Seed { get; init; } = 42;
    public string Device { get; init; } = "cpu";
    /// <summary>Training stops after the epoch in progress when this many minutes have passed (0 = no limit).</summary>
    public double MaxMinutes { get; init; }
    /// <summary>Threads for libtorch's CPU kernels (0 = libtorch's default).</summary>
    public int Threads { get; init; }
    /// <summary>Probability above which a pixel is foreground when validating and predicting.</summary>
    public double Threshold { get; init; } = 0.5;
    /// <summary>
    /// Augmentation pipeline as JSON (an array of <c>{"name": …, "p": …}</c> transforms, see
    /// <see cref="AugmentationPipeline"/>); <c>none</c>, <c>[]</c> or empty = none; null (not given) = the mode's
    /// default (<see cref="DefaultAugmentation"/>), which a new run resolves and writes here. Stored inline so the run
    /// folder records it.
    /// </summary>
    public string? Augment { get; init; }

    /// <summary>
    /// Axes along which the anatomy is symmetric, so that a mirrored image is as likely as the image itself:
    /// <c>none</c>, or a list of <c>h</c> (left-right), <c>v</c> (up-down) and, in 3D, <c>d</c> (slices). Training
    /// flips along them (after <see cref="Augment"/>, p 0.5 per axis) and <c>predict --tta auto</c> averages over
    /// those flips only.
    /// </summary>
    public string MirrorAxes { get; init; } = DefaultAugmentation.None;
    /// <summary>
    /// Share of training draws forced onto foreground, as nnU-Net's <c>oversample_foreground_percent</c>: one in
    /// round(1/F) draws (3D patches: centred on a labelled voxel; 2.5D / 2D: a slice holding a class instead of one
    /// without); 0 = off. Unless set: nnU-Net's third in 3D and 2.5D, off in 2D. Measured on the synthetic brain (one
    /// training subject, 12 minutes, held-out Dice): 2.5D 0.55 → 0.66 with it, 2D 0.38 → 0.13 — a single slice cannot
    /// tell where along the head the structures end, so more foreground slices teach it to draw them on slices that
    /// have none (HD95 20 → 67 mm).
    /// </summary>
    public double OversampleForeground { get => oversampleForeground ?? (Mode == "2d" ? 0 : DefaultOversampleForeground); init => oversampleForeground = value; }

    /// <summary>nnU-Net's share of foreground draws: one third (the default in 3D and 2.5D).</summary>
    public const double DefaultOversampleForeground = 1.0 / 3;

    /// <summary>Every how many draws one is forced onto foreground (<see cref="OversampleForeground"/>); 0 = never.</summary>
    [JsonIgnore]
    public int ForegroundEvery => OversampleForeground <= 0 ? 0 : Math.Max(1, (int)Math.Round(1 / OversampleForeground));
    /// <summary>
    /// Convolution precision: <c>bf16</c> (bfloat16 convolutions on fp32 master weights, channels-last), <c>fp16</c>
    /// (float16 convolutions with dynamic loss scaling, meant for CUDA; it runs on the CPU too, where bf16 is the fast
    /// path) or <c>fp32</c>.
    /// </summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>
    /// How slice intensities become network inputs: <c>per-image-max</c>, <c>zscore</c>, <c>percentile:LO:HI</c> or
    /// <c>window:LO:HI</c> (see <see cref="IntensityNormalisation"/>); used in training and prediction alike.
    /// </summary>
    public string Normalisation { get; init; } = "per-image-max";
    /// <summary>Training samples: <c>all</c> slices or only <c>annotated</c> ones (any positive mask).</summary>
    public string Slices { get; init; } = "all";
    /// <summary>
    /// The slice before an organ's first and after its last annotated slice: <c>keep</c>, <c>ignore</c> (no loss
    /// from them) or <c>drop</c> (see <see cref="AmbiguousSlices"/>).
    /// </summary>
    public string Ambiguous { get; init; } = "keep";
    /// <summary>Body crop per case-day before resizing: <c>none</c>, <c>slice:F</c> or <c>case-day:F</c>; predictions are pasted back.</summary>
    public string RoiCrop { get; init; } = "none";
    /// <summary>Memory for decoded slices kept between epochs, in MiB (0 = decode every time).</summary>
    public int CacheMb { get; init; } = 1024;
    /// <summary>Threads building batches ahead of the training step (0 = build each batch when the step needs it).</summary>
    public int LoaderThreads { get; init; } = 1;
    /// <summary>Batches built ahead of the training step at most.</summary>
    public int Prefetch { get; init; } = 2;
    /// <summary>Image channels per slice, set from the training data (nnU-Net <c>channel_names</c>; 1 for UW-Madison data); prediction input must have as many.</summary>
    public int Channels { get; init; } = 1;
    /// <summary>
    /// 3D mode on nnU-Net data: the voxel spacing <c>DxHxW</c> in mm (slice × row × column distance) every volume is
    /// resampled to before training and prediction (null = the dataset's median spacing, resolved and recorded when the run starts).
    /// </summary>
    public string? TargetSpacing { get; init; }

    /// <summary>The 3D network trained when <c>--mode 3d</c> names no <c>--arch</c>.</summary>
    public const string DefaultVolumetricArch = "unet3d";

    /// <summary>Patches per step when <c>--mode 3d</c> names no <c>--batch-size</c> (nnU-Net's batch size).</summary>
    public const int DefaultVolumetricBatch = 2;

    /// <summary>The largest default 3D patch; <see cref="TrainingDefaults"/> shrinks it to fit the volumes.</summary>
    public const string DefaultPatch = "32x128x128";

    /// <summary>Fewest patches a 3D epoch draws when <c>--steps-per-epoch</c> is not given (see <see cref="TrainingDefaults.FitSteps"/>).</summary>
    public const int DefaultMinimumPatchesPerEpoch = 50;

    /// <summary>About how many validations a run with a held-out fold makes when <c>--val-every</c> is not given.</summary>
    public const int DefaultValidations = 5;

    /// <summary>Folds when the data has at least this many cases and <c>--folds</c> is not given.</summary>
    public const int DefaultFolds = 5;

    /// <summary>Epochs when <c>--epochs</c> is not given and no <c>--max-minutes</c> budget plans them.</summary>
    public const int DefaultEpochs = 10;

    private readonly int? epochs;
    private readonly string? loss;
    private readonly string? arch;
    private readonly string? encoder;
    private readonly string? patch;
    private readonly int? folds;
    private readonly int? valEvery;
    private readonly int? stepsPerEpoch;
    private readonly int? batchSize;
    private readonly double? oversampleForeground;
    private readonly double? lr;
    private readonly double? gradClip;
    private readonly string? imageSize;

    /// <summary>How run files are serialised (<see cref="Core.Runs.RunPaths.Json"/>).</summary>
    public static readonly JsonSerializerOptions Json = Core.Runs.RunPaths.Json;

    /// <summary>
    /// Equal when every option resolves to the same value (as <c>config.json</c> writes them), whether a defaulted one
    /// was set or follows the mode.
    /// </summary>
    public bool Equals(TrainConfig? other) =>
        other is not null && JsonSerializer.Serialize(this, Json) == JsonSerializer.Serialize(other, Json);

    public override int GetHashCode() => JsonSerializer.Serialize(this, Json).GetHashCode(StringComparison.Ordinal);

    /// <summary>The network input size parsed from <see cref="ImageSize"/>.</summary>
    public (int Height, int Width) ParsedImageSize => SizeText.Parse(ImageSize, "--image-size");

    /// <summary>The 3D training patch parsed from <see cref="Patch"/>.</summary>
    public PatchSize ParsedPatch => PatchSize.Parse(Patch, "--patch");

    /// <summary>Number of input channels the network takes.</summary>
    public int InChannels => (Mode == "2.5d" ? InSlices : 1) * Channels;

    /// <summary>The parsed <see cref="TargetSpacing"/> (null when none).</summary>
    public StackSpacing? ParsedTargetSpacing => TargetSpacing is null ? null : StackSpacing.Parse(TargetSpacing, "--target-spacing");

    /// <summary>Checks every value and throws one <see cref="MedSegException"/> naming the option at fault.</summary>
    public void Validate() => Validate(Losses.LossMode.Multilabel);

    /// <summary>The same, for a network whose outputs mean <paramref name="lossMode"/>, which decides the valid loss terms: multilabel (sigmoid per class) or, for folder datasets, multiclass (softmax).</summary>
    public void Validate(Losses.LossMode lossMode)
    {
        if (Mode is not ("2d" or "2.5d" or "3d"))
        {
            throw new MedSegException($"--mode {Mode} is unknown; valid: 2d, 2.5d, 3d.");
        }
        ValidateVolumetric();
        if (Reconstruction > 0 && lossMode == Losses.LossMode.Multiclass)
        {
            throw new MedSegException("--reconstruction masks the capsules by per-class masks (UW-Madison and nnU-Net data); folder datasets train softmax classes, so leave it out.");
        }
        if (Mode == "2.5d" && (InSlices < 1 || InSlices % 2 == 0))
        {
            throw new MedSegException($"--in-slices {InSlices} must be a positive odd number (e.g. 3 or 5).");
        }
        if (SliceStride < 1)
        {
            throw new MedSegException($"--slice-stride {SliceStride} must be at least 1.");
        }
        var (h, w) = ParsedImageSize;
        if (h % Models.Unet.OutputStride != 0 || w % Models.Unet.OutputStride != 0)
        {
            throw new MedSegException(
                $"--image-size {ImageSize} must be divisible by {Models.Unet.OutputStride}; use {Models.Unet.NearestValid(h)}x{Models.Unet.NearestValid(w)}.");
        }
        Positive(Channels, "channels");
        if (ParsedTargetSpacing is not null && Mode != "3d")
        {
            throw new MedSegException($"--target-spacing {TargetSpacing} resamples volumes for --mode 3d; leave it out for --mode {Mode}.");
        }
        Positive(Epochs, "--epochs");
        Positive(BatchSize, "--batch-size");
        Positive(Accumulate, "--accumulate");
        if (StepsPerEpoch < 0)
        {
            throw new MedSegException($"--steps-per-epoch {StepsPerEpoch} must be 0 (one pass over the training samples) or a number of optimiser steps.");
        }
        if (ValEvery < 0)
        {
            throw new MedSegException($"--val-every {ValEvery} must be 0 (never) or a number of epochs.");
        }
        if (!OptimizerFactory.Names.Contains(Optimizer))
        {
            throw new MedSegException($"--optimizer {Optimizer} is unknown; valid: {string.Join(", ", OptimizerFactory.Names)}.");
        }
        if (!LearningRateSchedule.Names.Contains(Schedule))
        {
            throw new MedSegException($"--schedule {Schedule} is unknown; valid: {string.Join(", ", LearningRateSchedule.Names)}.");
        }
        if (WarmupEpochs < 0 || GradClip < 0 || Patience < 0)
        {
            throw new MedSegException("--warmup-epochs, --grad-clip and --patience must not be negative.");
        }
        if (Ema is < 0 or >= 1)
        {
            throw new MedSegException($"--ema {Ema} must be 0 (off) or a decay in (0, 1), e.g. 0.999.");
        }
        if (!(Lr > 0))
        {
            throw new MedSegException($"--lr {Lr} must be positive.");
        }
        ValidateFolds();
        if (TrainCases is < 1)
        {
            throw new MedSegException($"train_cases {TrainCases} must be at least 1 (or absent: every training case).");
        }
        if (Fold != "all" && (!int.TryParse(Fold, out var fold) || fold < 0 || fold >= Folds))
        {
            throw new MedSegException($"--fold {Fold} must be a fold index from 0 to {Folds - 1}, or all.");
        }
        if (Device is not ("cpu" or "cuda"))
        {
            throw new MedSegException($"--device {Device} is unknown; valid: cpu, cuda.");
        }
        if (OversampleForeground is < 0 or > 1 || double.IsNaN(OversampleForeground))
        {
            throw new MedSegException($"--oversample-foreground {OversampleForeground} must be a share from 0 (off) to 1 (every draw), e.g. 0.33.");
        }
        if (OutputPrior is { } prior && !(prior is > 0 and < 1))
        {
            throw new MedSegException($"--output-prior {prior} must be a probability between 0 and 1 (exclusive), e.g. 0.01.");
        }
        if (Precision is not ("bf16" or "fp16" or "fp32"))
        {
            throw new MedSegException($"--precision {Precision} is unknown; valid: bf16, fp16, fp32.");
        }
        _ = InputTensors();
        _ = SliceSelection();
        Loader().Validate();
        if (MaxMinutes < 0)
        {
            throw new MedSegException($"--max-minutes {MaxMinutes} must not be negative.");
        }
        TrainingNetworks.Check(this);
        _ = AugmentationPipeline();
        Losses.SegmentationLoss.Parse(Loss, lossMode);
    }

    private void ValidateFolds()
    {
        if (Folds < 1)
        {
            throw new MedSegException($"--folds {Folds} must be at least 1 (1 trains on every case-day with no held-out fold).");
        }
        if (ValEvery == 0 && !TrainsOnAll)
        {
            throw new MedSegException($"--val-every 0 (never validate) needs --folds 1; with --folds {Folds} the held-out fold chooses the model, so validate every N >= 1 epochs.");
        }
        if (Patience > 0 && TrainsOnAll)
        {
            throw new MedSegException($"--patience {Patience} stops on a held-out fold's score, but --folds 1 holds none out; drop --patience or use --folds 2 or more.");
        }
    }

    /// <summary>How this run turns slices into network inputs and targets (size, 2.5D stack, normalisation, ROI crop, cache).</summary>
    public Data.SliceTensors InputTensors()
    {
        var (height, width) = ParsedImageSize;
        var reader = new SliceReader(IntensityNormalisation.Parse(Normalisation), Core.Preprocessing.RoiCrop.Parse(RoiCrop), new SliceImageCache(CacheMb));
        return new Data.SliceTensors(Mode == "2.5d" ? InSlices : 1, SliceStride, height, width, reader, Channels);
    }

    /// <summary>3D mode needs a 3D network and a patch; the 2D modes need a 2D network.</summary>
    private void ValidateVolumetric()
    {
        var volumetric = Models.ModelFactory.IsVolumetric(Arch);
        if (Mode == "3d" && !volumetric)
        {
            throw new MedSegException(
                $"--mode 3d trains a 3D network but --arch {Arch} is 2D; use --arch {string.Join("|", Models.ModelFactory.ThreeDimensional)} --encoder {Models.ModelFactory.NoEncoder}.");
        }
        if (Mode != "3d" && volumetric)
        {
            throw new MedSegException($"--arch {Arch} is a 3D network; train it with --mode 3d --patch DxHxW.");
        }
        if (Mode == "3d")
        {
            _ = ParsedPatch;
            if (RoiCrop != "none" || Slices != "all")
            {
                throw new MedSegException($"config keys roi_crop ({RoiCrop}) and slices ({Slices}) apply to the 2D modes; 3D mode trains on whole case-day volumes, so leave them at none and all.");
            }
        }
        if ((LayerOrder is not null || DeepSupervision == true) && !Models.ModelFactory.HasDeepSupervision(Arch))
        {
            throw new MedSegException($"--layer-order and --deep-supervision on configure the 3D U-Nets (--arch unet3d, residualunet3d); leave them out for --arch {Arch}.");
        }
        if (LayerOrder is not null)
        {
            Models.Volumetric.LayerOrder.Check(LayerOrder);
        }
        if (Features is < 1 || Levels is < 1)
        {
            throw new MedSegException($"--features {Features} and --levels {Levels} must be at least 1.");
        }
        ValidateCapsules();
    }

    /// <summary>Routing iterations and the reconstruction weight belong to the capsule networks.</summary>
    private void ValidateCapsules()
    {
        if ((Routings is not null || Reconstruction != 0) && !Models.ModelFactory.IsCapsuleNetwork(Arch))
        {
            throw new MedSegException($"--routings and --reconstruction configure the capsule networks (--arch segcaps, capsnet3d); --arch {Arch} has no capsules.");
        }
        if (Routings is < 1)
        {
            throw new MedSegException($"--routings {Routings} must be at least 1 (the papers use 3).");
        }
        if (Reconstruction < 0 || !double.IsFinite(Reconstruction))
        {
            throw new MedSegException($"--reconstruction {Reconstruction} must be a weight ≥ 0 (0 = off).");
        }
    }

    /// <summary>Which slices are training samples and which of them the loss ignores.</summary>
    public SliceSelection SliceSelection() => Core.Data.SliceSelection.Parse(Slices, Ambiguous);

    /// <summary>How training batches are loaded.</summary>
    public Data.LoaderOptions Loader() => new(LoaderThreads, Prefetch);

    /// <summary>The run's augmentation: the <see cref="Augment"/> pipeline (the mode's default when null), then the flips of <see cref="MirrorAxes"/>.</summary>
    public AugmentationPipeline AugmentationPipeline() => DefaultAugmentation.Pipeline(Augment, MirrorAxes, Mode);

    private static void Positive(int value, string option)
    {
        if (value < 1)
        {
            throw new MedSegException($"{option} {value} must be at least 1.");
        }
    }

    /// <summary>Reads a config file; unknown keys and bad JSON are errors naming the file.</summary>
    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MedSegException($"config file {path} does not exist.");
        }
        try
        {
            return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), Json)
                ?? throw new MedSegException($"config file {path} is empty; write a JSON object.");
        }
        catch (JsonException e)
        {
            throw new MedSegException($"config file {path} is not a valid training config: {e.Message}");
        }
    }
}
