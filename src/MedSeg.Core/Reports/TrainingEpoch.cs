namespace MedSeg.Core.Reports;

/// <summary>One epoch of a training run as its report shows it (a line of the run's <c>log.jsonl</c>).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="Lr">Learning rate at the end of the epoch.</param>
/// <param name="ValScore">Validation score (NaN without validation).</param>
/// <param name="ValDice">Validation Dice.</param>
/// <param name="ValHausdorff">Validation Hausdorff distance (normalised under uwmgi).</param>
/// <param name="Seconds">The whole epoch: steps, validation, checkpoints.</param>
/// <param name="TrainSeconds">The training steps alone (0 when not recorded).</param>
/// <param name="Samples">Training examples of the epoch (0 when not recorded).</param>
/// <param name="Best">Whether the epoch's model became the run's best.</param>
public sealed record TrainingEpoch(
    int Epoch, double TrainLoss, double Lr, double ValScore, double ValDice, double ValHausdorff, double Seconds, double TrainSeconds, int Samples, bool Best);
