using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Tuning;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg tune</c>: gathers the out-of-fold probabilities of a run (or of every fold of a <c>--fold all</c> run),
/// searches thresholds and the minimum pixel count against the dataset's truth, and writes <c>RUN/tuned.json</c>,
/// which <c>predict</c> then uses unless thresholds or a minimum are given on its command line. With several runs it
/// also searches the ensemble weights and writes an ensemble file instead.
/// </summary>
public static class OutOfFoldTuning
{
    public static TunedSettings Tune(string runPath, string dataPath, Action<string>? progress = null)
    {
        var (classes, cases) = Load([runPath], dataPath);
        var tuned = ThresholdTuner.Search(classes, cases[0], progress: progress);
        AtomicFile.WriteAllText(Path.Combine(runPath, RunFolder.TunedFile), JsonSerializer.Serialize(tuned, TrainConfig.Json) + "\n");
        return tuned;
    }

    /// <summary>
    /// Tunes an ensemble of several runs (each a run or a <c>--fold all</c> run) on the case-days all of them
    /// validated: the weights of the probability average (<see cref="EnsembleWeightTuner"/>), then thresholds and the
    /// minimum pixel count on the blend; writes <paramref name="ensemblePath"/> (<see cref="EnsembleSettings"/>), which
    /// <c>predict --model ENSEMBLE.json</c> uses.
    /// </summary>
    public static EnsembleSettings TuneEnsemble(IReadOnlyList<string> runPaths, string dataPath, string ensemblePath, Action<string>? progress = null)
    {
        NewOutputFile.Require(ensemblePath, "--out", ".json", "the ensemble file is JSON");
        var (classes, members) = Load(runPaths, dataPath);
        var (weights, _, equalScore) = EnsembleWeightTuner.Search(classes, members, progress: progress);
        var tuned = ThresholdTuner.Search(classes, EnsembleWeightTuner.Blend(members, weights), progress: progress);
        var folder = Path.GetDirectoryName(Path.GetFullPath(ensemblePath))!;
        var settings = new EnsembleSettings([.. runPaths.Select(r => Path.GetRelativePath(folder, Path.GetFullPath(r)))], weights,
            tuned.Thresholds, tuned.MinPixels, tuned.Score, equalScore, tuned.CaseDays);
        AtomicFile.WriteAllText(ensemblePath, JsonSerializer.Serialize(settings, TrainConfig.Json) + "\n");
        return settings;
    }

    /// <summary>Reads an ensemble file, resolving its run folders against the file's folder.</summary>
    public static EnsembleSettings ReadEnsemble(string ensemblePath)
    {
        EnsembleSettings settings;
        try
        {
            settings = JsonSerializer.Deserialize<EnsembleSettings>(File.ReadAllText(ensemblePath), TrainConfig.Json)
                ?? throw new MedSegException($"{ensemblePath} is empty; write it with 'medseg tune --oof RUN1 --oof RUN2 --out FILE.json'.");
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{ensemblePath} is not an ensemble file ({e.Message}); write it with 'medseg tune --oof RUN1 --oof RUN2 --out FILE.json'.");
        }
        if (settings.Models.Count == 0 || settings.Models.Count != settings.Weights.Count)
        {
            throw new MedSegException($"{ensemblePath} lists {settings.Models.Count} models and {settings.Weights.Count} weights; it needs one weight per model.");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(ensemblePath))!;
        return settings with { Models = [.. settings.Models.Select(m => Path.GetFullPath(Path.Combine(folder, m)))] };
    }

    /// <summary>
    /// Per <c>--oof</c> entry, the out-of-fold cases of the case-days every entry validated, in one order; the truth
    /// arrays are shared between entries.
    /// </summary>
    private static (IReadOnlyList<string> Classes, IReadOnlyList<TuningCase>[] Members) Load(IReadOnlyList<string> runPaths, string dataPath)
    {
        var entries = runPaths.Select(path =>
        {
            var runs = FoldRuns.Load(path);
            return runs.Count > 0 ? runs : throw new MedSegException($"{path} is not a run folder; pass a folder written by 'medseg train'.");
        }).ToArray();
        foreach (var run in entries.SelectMany(e => e).Where(r => !r.Info.HeldOut))
        {
            throw new MedSegException(
                $"{run.Path} was trained with --folds 1 (every case-day trained, none held out), so it has no out-of-fold predictions to tune on; tune a run trained with --folds 2 or more, or give predict --threshold / --min-pixels yourself.");
        }
        var classes = entries[0][0].Info.Classes;
        foreach (var run in entries.SelectMany(e => e).Where(r => !r.Info.Classes.SequenceEqual(classes)))
        {
            throw new MedSegException($"{run.Path} predicts {string.Join(",", run.Info.Classes)} but {entries[0][0].Path} predicts {string.Join(",", classes)}; tune runs of the same classes.");
        }
        var data = UwMadisonDataset.Load(dataPath, classes);
        if (!data.HasLabels)
        {
            throw new MedSegException($"--data {dataPath} has no train.csv; tuning needs the truth of the out-of-fold case-days.");
        }
        var byId = data.CaseDays.ToDictionary(c => c.Id);
        var validated = entries.Select(runs => runs.SelectMany(r => r.Info.ValidationCaseDays.Select(id => (Id: id, Run: r)))
            .ToDictionary(v => v.Id, v => v.Run)).ToArray();
        var common = validated[0].Keys.Where(id => validated.All(v => v.ContainsKey(id))).ToArray();
        if (common.Length == 0)
        {
            throw new MedSegException("the runs validated no case-day in common; train them with the same --folds, --fold and --seed.");
        }
        var truth = new Dictionary<string, byte[][]>();
        foreach (var id in common)
        {
            if (!byId.TryGetValue(id, out var caseDay))
            {
                throw new MedSegException($"case-day {id} validated by {validated[0][id].Path} is not in {dataPath}; tune with the data the run was trained on.");
            }
            truth[id] = CaseDayMasks.Truth(caseDay, classes.Count);
        }
        var members = validated.Select(runById => (IReadOnlyList<TuningCase>)common.Select(id =>
        {
            var first = byId[id].Slices[0];
            var (depth, height, width) = (byId[id].Slices.Count, first.Height, first.Width);
            var folder = Path.Combine(runById[id].Path, RunFolder.OutOfFoldFolder);
            return new TuningCase(id, depth, height, width, ProbabilityMaps.Read(folder, id, classes.Count, depth, height, width), truth[id]);
        }).ToArray()).ToArray();
        return (classes, members);
    }
}
