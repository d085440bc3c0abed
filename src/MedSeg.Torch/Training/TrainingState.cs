namespace MedSeg.Torch.Training;

/// <summary>
/// Where a run stands after a finished epoch — everything besides weights and optimiser moments that a resumed run
/// needs to continue exactly as the uninterrupted one would have (all randomness derives from seed and epoch).
/// </summary>
public sealed record TrainingState
{
    /// <summary>Epochs finished (1-based count).</summary>
    public int Epoch { get; init; }
    /// <summary>Optimiser steps taken.</summary>
    public long Step { get; init; }
    public int BestEpoch { get; init; }
    public double BestScore { get; init; } = double.NegativeInfinity;
    /// <summary>Every epoch's log record so far (log.jsonl and curves.png are rebuilt from it).</summary>
    public IReadOnlyList<EpochRecord> Records { get; init; } = [];
    /// <summary>The fp16 loss scale (<see cref="LossScaler"/>); null in bf16 / fp32 runs.</summary>
    public double? LossScale { get; init; }
    /// <summary>Good steps since the fp16 loss scale last changed.</summary>
    public int LossScaleGoodSteps { get; init; }
}
