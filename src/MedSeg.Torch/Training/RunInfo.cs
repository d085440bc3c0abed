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
    public int BestEpoch { get; init; }
    /// <summary>Validation uwmgi score of <c>model.safetensors</c>.</summary>
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
