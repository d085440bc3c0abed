using MedSeg.Core.Evaluation;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// One mode of a comparison: its run folder and config, the network's size, the training run, what training and
/// inference cost, and its validation predictions scored twice by <c>medseg evaluate</c>'s code — <paramref name="Score"/>
/// under <c>uwmgi</c> (score, Dice per slice, normalised HD) and <paramref name="Distances"/> under <c>dice</c>
/// (Hausdorff and HD95 in mm on the case-days' voxel spacing).
/// </summary>
public sealed record ModeResult(
    string Mode,
    string RunPath,
    TrainConfig Config,
    long Parameters,
    TrainResult Training,
    TrainingCost TrainingCost,
    InferenceCost InferenceCost,
    EvaluationReport Score,
    EvaluationReport Distances)
{
    /// <summary>What one training example of this mode is.</summary>
    public string Example => Config.Mode switch
    {
        "3d" => $"patch {Config.Patch}",
        "2.5d" => $"stack of {Config.InSlices} slices",
        _ => "slice",
    };
}
