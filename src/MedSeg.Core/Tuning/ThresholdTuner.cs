using MedSeg.Core.Metrics;
using MedSeg.Core.PostProcessing;

namespace MedSeg.Core.Tuning;

/// <summary>
/// Searches per-class thresholds, then a minimum pixel count per slice, that maximise the uwmgi score on
/// out-of-fold predictions: one pass of coordinate search from the defaults (threshold 0.5, no minimum), each class's
/// threshold chosen with the others fixed.
/// </summary>
public static class ThresholdTuner
{
    public static readonly double[] DefaultThresholds = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
    public static readonly int[] DefaultMinPixels = [0, 5, 10, 20, 40, 80];

    public static TunedSettings Search(IReadOnlyList<string> classes, IReadOnlyList<TuningCase> cases,
        IReadOnlyList<double>? thresholdCandidates = null, IReadOnlyList<int>? minPixelCandidates = null, Action<string>? progress = null)
    {
        if (cases.Count == 0)
        {
            throw new MedSegException("no out-of-fold predictions to tune on; train with a validation fold first.");
        }
        thresholdCandidates ??= DefaultThresholds;
        minPixelCandidates ??= DefaultMinPixels;
        var thresholds = Enumerable.Repeat(0.5, classes.Count).ToArray();
        var minPixels = 0;
        var defaultScore = Score(classes, cases, thresholds, minPixels);
        var best = defaultScore;
        for (var c = 0; c < classes.Count; c++)
        {
            foreach (var candidate in thresholdCandidates)
            {
                var trial = thresholds.ToArray();
                trial[c] = candidate;
                var score = Score(classes, cases, trial, minPixels);
                if (score > best)
                {
                    (best, thresholds) = (score, trial);
                }
            }
            progress?.Invoke($"{classes[c]}: threshold {thresholds[c]:F2} (score {best:F4})");
        }
        foreach (var candidate in minPixelCandidates)
        {
            var score = Score(classes, cases, thresholds, candidate);
            if (score > best)
            {
                (best, minPixels) = (score, candidate);
            }
        }
        progress?.Invoke($"minimum pixels per slice: {minPixels} (score {best:F4})");
        return new TunedSettings(thresholds, minPixels, best, defaultScore, cases.Count);
    }

    /// <summary>The uwmgi score of the cases thresholded with these settings (NaN scores count as 0).</summary>
    public static double Score(IReadOnlyList<string> classes, IReadOnlyList<TuningCase> cases, IReadOnlyList<double> thresholds, int minPixels)
    {
        var metric = new UwMadisonScore(classes, maxDegreeOfParallelism: 1);
        var postProcess = new PostProcessOptions { MinPixels = minPixels };
        Parallel.ForEach(cases, c =>
        {
            var masks = ProbabilityThreshold.Apply(c.Probabilities, c.Depth, c.Height, c.Width, thresholds, null, postProcess);
            metric.Update(c.Id, c.Depth, c.Height, c.Width, masks, c.Truth);
        });
        var score = metric.Compute().Score;
        return double.IsFinite(score) ? score : 0;
    }
}
