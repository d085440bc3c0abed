namespace MedSeg.Torch.Training;

/// <summary>What a finished training run reports: where it is, its best epoch and score, and every epoch's record.</summary>
public sealed record TrainResult(string RunPath, int BestEpoch, double BestScore, IReadOnlyList<EpochRecord> Epochs);
