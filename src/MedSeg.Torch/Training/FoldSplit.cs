using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>
/// The case-days a run trains on and validates on: GroupKFold by case, so no case is in both. With one fold
/// (<c>--folds 1</c>, nnU-Net's <c>all</c>) every case-day trains and <see cref="HeldOut"/> is false: a validation the
/// user asks for then runs on the training case-days (<see cref="Validation"/> = <see cref="Train"/>), labelled as such.
/// </summary>
public sealed record FoldSplit(IReadOnlyList<UwCaseDay> Train, IReadOnlyList<UwCaseDay> Validation, bool HeldOut = true)
{
    /// <summary>What the validation scores are measured on, as <c>run.json</c> and <c>log.jsonl</c> record it.</summary>
    public string ValidationData => HeldOut ? HeldOutFold : TrainingData;

    /// <summary><see cref="ValidationData"/> of a run that validates on a held-out fold.</summary>
    public const string HeldOutFold = "held-out";

    /// <summary><see cref="ValidationData"/> of a <c>--folds 1</c> run: its validation runs on the case-days it trains on.</summary>
    public const string TrainingData = "training-data";

    /// <summary>
    /// The split of <paramref name="config"/>'s folds and fold (fold 0 for <c>fold: all</c>) and seed, with its training
    /// cases cut to <see cref="TrainConfig.TrainCases"/> when that is set.
    /// </summary>
    public static FoldSplit Of(UwMadisonDataset data, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fold = config.Fold == "all" ? 0 : int.Parse(config.Fold, System.Globalization.CultureInfo.InvariantCulture);
        var split = Of(data, config.Folds, fold, config.Seed);
        return config.TrainCases is { } cases ? split.KeepTrainingCases(cases, config.Seed) : split;
    }

    /// <summary>The distinct cases (patients) of <see cref="Train"/>, in order of first appearance.</summary>
    public IReadOnlyList<int> TrainCases => [.. Train.Select(c => c.Case).Distinct()];

    /// <summary>
    /// This split with only <paramref name="cases"/> of its training cases (every case-day of each), the validation
    /// unchanged. The training cases are shuffled by <paramref name="seed"/> and the first <paramref name="cases"/>
    /// kept, so for one seed a smaller subset lies inside every larger one (the nested subsets of a data-size sweep).
    /// </summary>
    /// <exception cref="MedSegException"><paramref name="cases"/> is below 1 or above the training cases there are.</exception>
    public FoldSplit KeepTrainingCases(int cases, int seed)
    {
        var order = TrainCases.ToArray();
        if (cases < 1 || cases > order.Length)
        {
            throw new MedSegException($"train_cases {cases} must be from 1 to the {order.Length} training cases of this fold.");
        }
        new DeterministicRandom(seed).Shuffle(order.AsSpan());
        var kept = order.Take(cases).ToHashSet();
        return this with { Train = [.. Train.Where(c => kept.Contains(c.Case))] };
    }

    public static FoldSplit Of(UwMadisonDataset data, int folds, int fold, int seed)
    {
        if (folds == 1)
        {
            return new FoldSplit(data.CaseDays, data.CaseDays, HeldOut: false);
        }
        var cases = data.CaseDays.Select(cd => cd.Case).Distinct().Count();
        if (cases < folds)
        {
            throw new MedSegException($"--folds {folds} needs at least {folds} cases, but {data.Root} has {cases}; use fewer folds (--folds 1 trains on all of them).");
        }
        var assigned = GroupKFold.AssignFolds(data.CaseDays.Select(cd => $"case{cd.Case}").ToArray(), folds, seed);
        var train = data.CaseDays.Where((_, i) => assigned[i] != fold).ToArray();
        var validation = data.CaseDays.Where((_, i) => assigned[i] == fold).ToArray();
        return new FoldSplit(train, validation);
    }

    /// <summary>
    /// How the progress output names this split: <c>fold K/N: TRAINED train, VALIDATED validate</c>, or for <c>--folds 1</c>
    /// that every case-day trains and where validation runs, if at all.
    /// </summary>
    public string Describe(TrainConfig config, string trained, string validated) => Describe(HeldOut, config, trained, validated);

    /// <summary>The same for any split with or without a held-out fold (<paramref name="heldOut"/>), e.g. of a folder dataset.</summary>
    public static string Describe(bool heldOut, TrainConfig config, string trained, string validated) =>
        heldOut
            ? $"fold {config.Fold}/{config.Folds}: {trained} train, {validated} validate"
            : config.ValEvery == 0
                ? $"--folds 1 (no held-out fold): {trained} train; no validation, the last epoch's weights are the model"
                : $"--folds 1 (no held-out fold): {trained} train; every {config.ValEvery} epochs a validation on the training data ({validated}), the last epoch's weights are the model";
}
