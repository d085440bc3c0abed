using System.Text.Json.Serialization;

namespace MedSeg.Core.Tuning;

/// <summary>
/// Which classes keep only their largest connected component, decided on a run's validation predictions as nnU-Net
/// decides its post-processing (<see cref="PostProcessingSearch"/>): written to <c>RUN/postprocessing.json</c> after
/// training and applied by <c>predict --postprocess auto</c> (the default).
/// </summary>
/// <param name="CaseDays">Validation case-days (volumes) the decision was measured on.</param>
/// <param name="Classes">One entry per class, in the run's class order.</param>
/// <param name="Basis">
/// What it was decided on: null (older files) or <see cref="ValidationBasis"/> for validation predictions,
/// <see cref="TrainingLabelsBasis"/> for a run without a held-out fold (<see cref="PostProcessingSearch.DecideOnLabels"/>).
/// </param>
public sealed record PostProcessingDecision(int CaseDays, IReadOnlyList<ClassPostProcessing> Classes, string? Basis = null)
{
    /// <summary><see cref="Basis"/> of a decision scored on validation predictions.</summary>
    public const string ValidationBasis = "validation";

    /// <summary><see cref="Basis"/> of a decision taken from the shapes of the training labels (no held-out fold).</summary>
    public const string TrainingLabelsBasis = "training-labels";

    /// <summary>True when the decision was taken from the training labels, not scored on validation.</summary>
    [JsonIgnore]
    public bool FromTrainingLabels => Basis == TrainingLabelsBasis;

    /// <summary>Per class (run order), whether predict keeps only its largest component.</summary>
    [JsonIgnore]
    public IReadOnlyList<bool> KeepLargest => [.. Classes.Select(c => c.KeepLargest)];

    /// <summary>
    /// The decision of several folds of one run (<c>--fold all</c>) taken together: per class, the mean Dice with and
    /// without the clean-up over every fold's validation cases, and the clean-up adopted when it is higher.
    /// </summary>
    /// <exception cref="MedSegException">The folds were trained on different classes.</exception>
    public static PostProcessingDecision Combine(IReadOnlyList<PostProcessingDecision> folds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(folds.Count);
        var names = folds[0].Classes.Select(c => c.Class).ToArray();
        if (folds.Any(f => !f.Classes.Select(c => c.Class).SequenceEqual(names)))
        {
            throw new MedSegException("the folds' postprocessing.json files name different classes; train every fold on the same data.");
        }
        var classes = names.Select((name, k) =>
        {
            var entries = folds.Select(f => f.Classes[k]).Where(e => e.Cases > 0).ToArray();
            int cases = entries.Sum(e => e.Cases);
            double? Mean(Func<ClassPostProcessing, double?> dice) =>
                cases == 0 ? null : entries.Sum(e => dice(e)!.Value * e.Cases) / cases;
            return ClassPostProcessing.Of(name, Mean(e => e.Dice), Mean(e => e.DiceKeepLargest), cases);
        }).ToArray();
        return new PostProcessingDecision(folds.Sum(f => f.CaseDays), classes, ValidationBasis);
    }
}

/// <summary>
/// The post-processing decision for one class: the mean validation Dice of its thresholded predictions as they are
/// (<paramref name="Dice"/>) and with only the largest component kept (<paramref name="DiceKeepLargest"/>), over the
/// <paramref name="Cases"/> case-days where prediction or truth holds the class (null when there is none);
/// <paramref name="KeepLargest"/> is true when that raised the score.
/// </summary>
public sealed record ClassPostProcessing(string Class, bool KeepLargest, double? Dice, double? DiceKeepLargest, int Cases)
{
    /// <summary>The entry for these scores: the clean-up is adopted only when it scores strictly higher.</summary>
    public static ClassPostProcessing Of(string name, double? dice, double? diceKeepLargest, int cases) =>
        new(name, dice is { } before && diceKeepLargest is { } after && after > before, dice, diceKeepLargest, cases);
}
