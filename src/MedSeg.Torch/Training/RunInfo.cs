namespace MedSeg.Torch.Training;

/// <summary>
/// What a run folder's <c>run.json</c> records beside <c>config.json</c>: what prediction needs (classes, input
/// size via the config) and what reproduces the run (versions, device, split, best epoch).
/// </summary>
public sealed record RunInfo
{
    public required IReadOnlyList<string> Classes { get; init; }
    public required string MedSegVersion { get; init; }
    public required string TorchSharpVersion { get; init; }
    public required string LibTorchVersion { get; init; }
    public required string Device { get; init; }
    public required IReadOnlyList<string> TrainCaseDays { get; init; }
    public required IReadOnlyList<string> ValidationCaseDays { get; init; }
    /// <summary>Horizontal flips used during training: what flip TTA may assume the model is invariant to.</summary>
    public IReadOnlyList<string> TrainedFlips { get; init; } = [];
    public int BestEpoch { get; init; }
    /// <summary>Validation uwmgi score of <c>model.safetensors</c>.</summary>
    public double BestScore { get; init; } = double.NaN;
}
