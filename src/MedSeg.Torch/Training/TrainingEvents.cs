namespace MedSeg.Torch.Training;

/// <summary>Callbacks through which the trainer reports progress (the CLI draws them; tests may ignore them).</summary>
public sealed class TrainingEvents
{
    /// <summary>After each optimiser step: epoch (1-based), epochs, step (1-based), steps per epoch, running mean loss.</summary>
    public Action<int, int, int, int, double>? Step { get; init; }

    /// <summary>After each epoch's validation.</summary>
    public Action<EpochRecord>? Epoch { get; init; }

    /// <summary>Notes worth a line of output (split sizes, stopping early).</summary>
    public Action<string>? Message { get; init; }
}
