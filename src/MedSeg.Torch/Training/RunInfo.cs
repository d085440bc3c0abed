using System.Text.Json.Serialization;

namespace MedSeg.Torch.Training;

/// <summary>
/// What a run folder's <c>run.json</c> records beside <c>config.json</c>: what prediction needs (classes, input
/// size via the config) and what reproduces the run (versions, device, split, best epoch).
/// </summary>
public sealed record RunInfo
{
    public required IReadOnlyList<string> Classes { get; init; }
    [JsonPropertyName("medseg_version")]
    public required string MedSegVersion { get; init; }
    [JsonPropertyName("torchsharp_version")]
    public required string TorchSharpVersion { get; init; }
    [JsonPropertyName("libtorch_version")]
    public required string LibTorchVersion { get; init; }
    public required string Device { get; init; }
    public required IReadOnlyList<string> TrainCaseDays { get; init; }
    public required IReadOnlyList<string> ValidationCaseDays { get; init; }
    /// <summary>
    /// What validation ran on: <see cref="FoldSplit.HeldOutFold"/>, <see cref="FoldSplit.TrainingData"/> (a <c>--folds 1</c>
    /// run asked to validate) or <see cref="NoValidation"/>; absent in runs written before it was recorded (held-out).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Validation { get; init; }

    /// <summary>True when the run's validation case-days were held out of training, so it has out-of-fold predictions.</summary>
    [JsonIgnore]
    public bool HeldOut => Validation is null or FoldSplit.HeldOutFold;

    /// <summary><see cref="Validation"/> of a <c>--folds 1</c> run that never validated.</summary>
    public const string NoValidation = "none";

    /// <summary>
    /// The description of a new run of <paramref name="config"/> predicting <paramref name="classes"/>: versions, device,
    /// the ids it trains and validates on, and what its validation runs on (a held-out fold, or with <paramref name="heldOut"/>
    /// false its training data, whose ids are then not repeated).
    /// </summary>
    public static RunInfo Of(TrainConfig config, IReadOnlyList<string> classes, IReadOnlyList<string> train, IReadOnlyList<string> validation, bool heldOut) => new()
    {
        Classes = classes,
        MedSegVersion = VersionInfo.MedSeg,
        TorchSharpVersion = VersionInfo.TorchSharp,
        LibTorchVersion = VersionInfo.LibTorch,
        Device = config.Device,
        TrainCaseDays = train,
        ValidationCaseDays = heldOut ? validation : [],
        Validation = config.ValEvery == 0 ? NoValidation : heldOut ? FoldSplit.HeldOutFold : FoldSplit.TrainingData,
    };

    /// <summary>The epoch of <c>model.safetensors</c>: the best validated one, or the last with <c>--folds 1</c>.</summary>
    public int BestEpoch { get; init; }
    /// <summary>Validation uwmgi score of <c>model.safetensors</c> (on the training data with <c>--folds 1</c>; NaN when not validated).</summary>
    public double BestScore { get; init; } = double.NaN;
    /// <summary>
    /// How the training images were stored: <c>per-volume</c> (<see cref="Core.Preprocessing.IntensityMapping.PerVolumeRule"/>:
    /// NIfTI volumes preprocessed through one intensity mapping each, which predict applies to NIfTI input too), or
    /// absent for 16-bit PNGs read as they are.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Intensity { get; init; }
    /// <summary>
    /// True for a run on a folder dataset: one softmax over <see cref="Classes"/> (background first, mutually
    /// exclusive classes), predicted by argmax; <see cref="TrainCaseDays"/> and <see cref="ValidationCaseDays"/> then
    /// hold image ids and <see cref="BestScore"/> is the validation mean IoU.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Multiclass { get; init; }
    /// <summary>Channels of each input image of a folder-dataset run (3 = RGB, 1 = gray); null: the config's input channels.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ImageChannels { get; init; }
}
