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
    /// <summary>The <c>--archs</c> architecture this run trains (null without <c>--archs</c>).</summary>
    public string? Architecture { get; init; }

    /// <summary>Cases (patients) and case-days it trained on: the fold's, or a <c>--train-sizes</c> subset of them.</summary>
    public (int Cases, int CaseDays, int Slices) TrainingSet { get; init; }

    /// <summary>How fast its validation Dice converged (<see cref="Studies.Convergence"/>).</summary>
    public Convergence Convergence => Studies.Convergence.From(Training.Epochs);

    /// <summary>What one training example of this mode is.</summary>
    public string Example => Config.Mode switch
    {
        "3d" => $"patch {Config.Patch}",
        "2.5d" => $"stack of {Config.InSlices} slices",
        _ => "slice",
    };
}
