using System.Globalization;
using MedSeg.Core;

namespace MedSeg.Torch.Training;

/// <summary>
/// The runs a <c>--model</c> or <c>--oof</c> path stands for (<see cref="RunFolder.Expand"/>). A folder of
/// <c>fold_K/</c> runs — written by <c>--fold all</c>, or assembled from folds trained as separate jobs on other
/// machines — is checked to be one cross-validation: each <c>fold_K</c> holds fold K, all folds of one <c>--folds</c>,
/// <c>--seed</c> and classes are there, and they split the same case-days into disjoint validation folds.
/// </summary>
public static class FoldRuns
{
    public static IReadOnlyList<RunFolder> Load(string path)
    {
        var paths = RunFolder.Expand(path);
        var runs = paths.Select(p => RunFolder.Load(p)).ToArray();
        if (paths.Count != 1 || paths[0] != path)
        {
            Check(path, runs);
        }
        return runs;
    }

    private static void Check(string path, RunFolder[] runs)
    {
        var first = runs[0];
        var fix = "train every fold from the same --data with the same --folds and --seed (medseg train ... --fold K --out RUN/fold_K)";
        foreach (var run in runs)
        {
            var name = Path.GetFileName(run.Path);
            var problem = name != RunFolder.FoldFolder(int.TryParse(run.Config.Fold, CultureInfo.InvariantCulture, out var k) ? k : -1)
                ? $"holds fold {run.Config.Fold} (its {RunFolder.ConfigFile} says so); copy each fold K into {path}/fold_K"
                : run.Config.Folds != first.Config.Folds ? $"was trained with --folds {run.Config.Folds} but {first.Path} with --folds {first.Config.Folds}; {fix}"
                : run.Config.Seed != first.Config.Seed ? $"was trained with --seed {run.Config.Seed} but {first.Path} with --seed {first.Config.Seed}; {fix}"
                : !run.Info.Classes.SequenceEqual(first.Info.Classes) ? $"predicts {string.Join(",", run.Info.Classes)} but {first.Path} predicts {string.Join(",", first.Info.Classes)}; {fix}"
                : !CaseDays(run).SetEquals(CaseDays(first)) ? $"was trained and validated on other case-days than {first.Path}; {fix}"
                : null;
            if (problem is not null)
            {
                throw new MedSegException($"{run.Path} {problem}.");
            }
        }
        var missing = Enumerable.Range(0, first.Config.Folds).Select(RunFolder.FoldFolder)
            .Except(runs.Select(r => Path.GetFileName(r.Path))).ToArray();
        if (missing.Length > 0)
        {
            throw new MedSegException(
                $"{path} holds {runs.Length} of {first.Config.Folds} folds: {string.Join(", ", missing)} missing; copy {(missing.Length == 1 ? "it" : "them")} in from the machine that trained {(missing.Length == 1 ? "it" : "them")}, or name the folds you have, e.g. --model {Path.Combine(path, Path.GetFileName(first.Path))}.");
        }
        var validatedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var id in run.Info.ValidationCaseDays)
            {
                if (!validatedBy.TryAdd(id, run.Path))
                {
                    throw new MedSegException($"{run.Path} and {validatedBy[id]} both validate {id}, so they are not folds of one split; {fix}.");
                }
            }
        }
    }

    private static HashSet<string> CaseDays(RunFolder run) =>
        run.Info.TrainCaseDays.Concat(run.Info.ValidationCaseDays).ToHashSet(StringComparer.Ordinal);
}
