using MedSeg.Core.PostProcessing;

namespace MedSeg.Torch.Inference;

/// <summary>
/// How slices are segmented. <paramref name="Tta"/>: <c>auto</c> (flip TTA only for runs trained with horizontal flips:
/// on lateralised anatomy a flipped image is a different image), <c>none</c>, or <c>flip</c> (average with the
/// horizontally flipped image, in probability space). <paramref name="Thresholds"/>: foreground probability per class, or one value
/// for all (null = the first run's). <paramref name="Floor"/>: a class is dropped from a slice when its highest
/// probability there is below this (1st place: 0.5; null = off). <paramref name="PostProcess"/>: clean-up of each
/// class mask. <paramref name="BatchSize"/>: slices per forward pass.
/// </summary>
public sealed record PredictOptions(
    string Tta = "auto",
    IReadOnlyList<double>? Thresholds = null,
    double? Floor = null,
    PostProcessOptions? PostProcess = null,
    int BatchSize = 8)
{
    public static readonly string[] TtaChoices = ["auto", "none", "flip"];
}
