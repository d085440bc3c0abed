namespace MedSeg.Torch.Training;

/// <summary>One line of a run's <c>log.jsonl</c>: the epoch's mean training loss and its validation metrics.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double Lr,
    double ValScore,
    double ValDice,
    double ValHausdorff,
    double Seconds,
    bool Best);
