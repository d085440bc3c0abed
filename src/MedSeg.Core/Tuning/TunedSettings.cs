using System.Text.Json;
using MedSeg.Core.Runs;

namespace MedSeg.Core.Tuning;

/// <summary>
/// Prediction settings found on out-of-fold predictions: a probability threshold per class and a minimum pixel count
/// per slice, with the score they reach and the score of the defaults (threshold 0.5, no minimum) on the same data.
/// </summary>
public sealed record TunedSettings(IReadOnlyList<double> Thresholds, int MinPixels, double Score, double DefaultScore, int CaseDays)
{
    /// <summary>The settings <c>tune</c> wrote for the run <paramref name="runPath"/> (its <c>tuned.json</c>), or null.</summary>
    public static TunedSettings? Read(string runPath)
    {
        var path = Path.Combine(runPath, RunPaths.TunedFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<TunedSettings>(File.ReadAllText(path), RunPaths.Json);
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{path} is not valid tuned settings ({e.Message}); run 'medseg tune' again or delete it.");
        }
    }
}
