using System.Text.Json;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Reports;

/// <summary>
/// A run folder written by hand, as <c>medseg train</c> lays one out, on a small synthetic UW-Madison dataset: two
/// logged epochs, and out-of-fold probabilities of the validation case-day that are its true stomach and large bowel
/// (probability 1 inside, 0 outside) and nothing of the small bowel.
/// </summary>
internal static class HandRun
{
    private static readonly JsonSerializerOptions LogJson = new(TrainConfig.Json) { WriteIndented = false }; // one record per line

    public static (string Run, string Data, string ValidationCaseDay) Write(string root)
    {
        string data = Path.Combine(root, "data");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 8, Height: 64, Width: 64, Seed: 1));
        var dataset = UwMadisonDataset.Load(data);
        UwCaseDay train = dataset.CaseDays[0], validation = dataset.CaseDays[1];
        string run = Path.Combine(root, "run");
        Directory.CreateDirectory(Path.Combine(run, RunFolder.OutOfFoldFolder));
        var config = new TrainConfig();
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), JsonSerializer.Serialize(config, TrainConfig.Json));
        RunInfo info = RunInfo.Of(config, dataset.Classes, [train.Id], [validation.Id], heldOut: true) with { BestEpoch = 2, BestScore = 0.5 };
        File.WriteAllText(Path.Combine(run, RunFolder.InfoFile), JsonSerializer.Serialize(info, TrainConfig.Json));
        File.WriteAllLines(Path.Combine(run, RunFolder.LogFile), [
            JsonSerializer.Serialize(new EpochRecord(1, 0.9, 1e-3, 0.3, 0.1, 0.4, 12.5, true, 10, 8), LogJson),
            JsonSerializer.Serialize(new EpochRecord(2, 0.7, 5e-4, 0.5, 0.2, 0.3, 11.5, true, 9, 8), LogJson),
        ]);
        byte[][] truth = CaseDayMasks.Truth(validation, 3);
        float[][] probabilities = truth.Select((mask, c) => mask.Select(v => c == 1 ? 0f : v).ToArray()).ToArray();
        UwSlice first = validation.Slices[0];
        ProbabilityMaps.Write(Path.Combine(run, RunFolder.OutOfFoldFolder), validation.Id, probabilities, validation.Slices.Count, first.Height, first.Width);
        return (run, data, validation.Id);
    }
}
