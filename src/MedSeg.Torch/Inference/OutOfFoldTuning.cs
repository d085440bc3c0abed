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
/// which <c>predict</c> then uses unless thresholds or a minimum are given on its command line.
/// </summary>
public static class OutOfFoldTuning
{
    public static TunedSettings Tune(string runPath, string dataPath, Action<string>? progress = null)
    {
        var runs = RunFolder.Expand(runPath).Select(p => RunFolder.Load(p)).ToArray();
        if (runs.Length == 0)
        {
            throw new MedSegException($"{runPath} is not a run folder; pass a folder written by 'medseg train'.");
        }
        var classes = runs[0].Info.Classes;
        var data = UwMadisonDataset.Load(dataPath, classes);
        if (!data.HasLabels)
        {
            throw new MedSegException($"--data {dataPath} has no train.csv; tuning needs the truth of the out-of-fold case-days.");
        }
        var byId = data.CaseDays.ToDictionary(c => c.Id);
        var cases = new List<TuningCase>();
        foreach (var run in runs)
        {
            var folder = Path.Combine(run.Path, RunFolder.OutOfFoldFolder);
            foreach (var id in run.Info.ValidationCaseDays)
            {
                if (!byId.TryGetValue(id, out var caseDay))
                {
                    throw new MedSegException($"case-day {id} validated by {run.Path} is not in {dataPath}; tune with the data the run was trained on.");
                }
                var first = caseDay.Slices[0];
                var (depth, height, width) = (caseDay.Slices.Count, first.Height, first.Width);
                cases.Add(new TuningCase(id, depth, height, width, ProbabilityMaps.Read(folder, id, classes.Count, depth, height, width),
                    CaseDayMasks.Truth(caseDay, classes.Count)));
            }
        }
        var tuned = ThresholdTuner.Search(classes, cases, progress: progress);
        AtomicFile.WriteAllText(Path.Combine(runPath, RunFolder.TunedFile), JsonSerializer.Serialize(tuned, TrainConfig.Json) + "\n");
        return tuned;
    }

    /// <summary>The settings <c>tune</c> wrote for <paramref name="runPath"/>, or null.</summary>
    public static TunedSettings? Read(string runPath)
    {
        var path = Path.Combine(runPath, RunFolder.TunedFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<TunedSettings>(File.ReadAllText(path), TrainConfig.Json);
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{path} is not valid tuned settings ({e.Message}); run 'medseg tune' again or delete it.");
        }
    }
}
