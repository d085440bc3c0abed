using System.Text.Json.Serialization;

namespace MedSeg.Torch.Training;

/// <summary>
/// One line of a run's <c>log.jsonl</c>: the epoch's mean training loss and its validation metrics.
/// <paramref name="Seconds"/> is the whole epoch (steps, validation, checkpoints); <paramref name="TrainSeconds"/> only
/// its training steps (batches, forward, backward, optimiser), over <paramref name="Samples"/> training examples
/// (slices or slice stacks in 2D / 2.5D, patches in 3D); both 0 in logs written before they were recorded.
/// <paramref name="Validation"/> says what the validation figures were measured on (<see cref="FoldSplit.HeldOutFold"/>, or
/// <see cref="FoldSplit.TrainingData"/> for a <c>--folds 1</c> run); absent for an epoch without validation.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double Lr,
    double ValScore,
    double ValDice,
    double ValHausdorff,
    double Seconds,
    bool Best,
    double TrainSeconds = 0,
    int Samples = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Validation = null);
