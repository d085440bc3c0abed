using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>The case-days a run trains on and validates on: GroupKFold by case, so no case is in both.</summary>
public sealed record FoldSplit(IReadOnlyList<UwCaseDay> Train, IReadOnlyList<UwCaseDay> Validation)
{
    public static FoldSplit Of(UwMadisonDataset data, int folds, int fold, int seed)
    {
        var cases = data.CaseDays.Select(cd => cd.Case).Distinct().Count();
        if (cases < folds)
        {
            throw new MedSegException($"--folds {folds} needs at least {folds} cases, but {data.Root} has {cases}; use fewer folds.");
        }
        var assigned = GroupKFold.AssignFolds(data.CaseDays.Select(cd => $"case{cd.Case}").ToArray(), folds, seed);
        var train = data.CaseDays.Where((_, i) => assigned[i] != fold).ToArray();
        var validation = data.CaseDays.Where((_, i) => assigned[i] == fold).ToArray();
        return new FoldSplit(train, validation);
    }
}
