using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// How fast a run converged, as Avesta et al. compare it: the first epoch whose validation Dice reached
/// <see cref="Fraction"/> of the run's best validation Dice, and the wall time of the epochs up to and including it
/// (training steps, validation and checkpoints, as <c>log.jsonl</c> records them). Null where no epoch validated.
/// </summary>
public sealed record Convergence(double BestDice, int? Epochs, double? Seconds)
{
    /// <summary>The share of the best validation Dice that counts as converged.</summary>
    public const double Fraction = 0.95;

    /// <param name="epochs">The run's epoch records in order; epochs without validation (NaN Dice) are passed over.</param>
    public static Convergence From(IReadOnlyList<EpochRecord> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var validated = epochs.Where(e => double.IsFinite(e.ValDice)).ToArray();
        if (validated.Length == 0)
        {
            return new Convergence(double.NaN, null, null);
        }
        var best = validated.Max(e => e.ValDice);
        var reached = validated.First(e => e.ValDice >= Fraction * best);
        return new Convergence(best, reached.Epoch, epochs.Where(e => e.Epoch <= reached.Epoch).Sum(e => e.Seconds));
    }
}
