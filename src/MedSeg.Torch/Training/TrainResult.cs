namespace MedSeg.Torch.Training;

/// <summary>
/// What a finished training run reports: where it is, its best epoch and score, and every epoch's record.
/// <paramref name="HeldOut"/> is false for a <c>--folds 1</c> run, whose model is its last epoch and whose score (NaN
/// when it never validated) was measured on its training data.
/// </summary>
public sealed record TrainResult(string RunPath, int BestEpoch, double BestScore, IReadOnlyList<EpochRecord> Epochs, bool HeldOut = true)
{
    /// <summary>One line for the console: the model's epoch and score and where the run is.</summary>
    public string Summary =>
        BestEpoch == 0 ? $"mean of the folds' best validation scores {BestScore:F4}; run folder {RunPath} (one fold_K per fold)"
        : HeldOut ? $"best epoch {BestEpoch}: validation score {BestScore:F4}; run folder {RunPath}"
        : $"trained on every case-day (--folds 1): the model is epoch {BestEpoch}"
            + (double.IsNaN(BestScore) ? "" : $", score on the training data {BestScore:F4}") + $"; run folder {RunPath}";
}
