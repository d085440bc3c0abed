using MedSeg.Core.Tuning;
using MedSeg.Core.PostProcessing;

namespace MedSeg.Core.Inference;

/// <summary>
/// How slices are segmented. <paramref name="Tta"/>: test-time views averaged in probability space — <c>auto</c> (only
/// the flips and quarter turns the run was trained with: on lateralised anatomy a flipped image is a different image),
/// <c>none</c>, <c>flip</c> (+ the horizontally flipped image), <c>rot90</c> (the four quarter turns) or <c>all</c>
/// (eight flips and turns); see <see cref="TtaView"/>. <paramref name="Thresholds"/>: foreground probability per class, or one value
/// for all (null = the first run's). <paramref name="Floor"/>: a class is dropped from a slice when its highest
/// probability there is below this (1st place: 0.5; null = off). <paramref name="PostProcess"/>: clean-up of each
/// class mask. <paramref name="BatchSize"/>: slices (or 3D windows) per forward pass. 3D runs predict whole case-days
/// through a sliding window: windows overlap by <paramref name="Overlap"/> and are blended by <paramref name="Blend"/>.
/// <paramref name="Backend"/>: what computes the segmentation networks, <c>torch</c> (TorchSharp) or <c>onnx</c>
/// (ONNX Runtime on the exported graphs). <paramref name="ValidatedPostProcess"/>: <c>auto</c>
/// adds the post-processing the first run decided on its validation predictions (<see cref="ValidationPostProcessing"/>)
/// to <paramref name="PostProcess"/>, <c>none</c> leaves it out.
/// </summary>
public sealed record PredictOptions(
    string Tta = "auto",
    IReadOnlyList<double>? Thresholds = null,
    double? Floor = null,
    PostProcessOptions? PostProcess = null,
    int BatchSize = 8,
    double Overlap = 0.5,
    WindowBlend Blend = WindowBlend.Gaussian,
    string Backend = "torch",
    string ValidatedPostProcess = "auto")
{
    /// <summary>The values <see cref="Backend"/> takes.</summary>
    public static readonly IReadOnlyList<string> Backends = ["torch", "onnx"];
}
