namespace MedSeg.Core.Tuning;

/// <summary>
/// Searches the weights of an ensemble's probability average on out-of-fold predictions, for the uwmgi score at the
/// default threshold (0.5, no minimum; thresholds are tuned afterwards on the blend): coordinate search on a grid —
/// each member's share tried at every grid step with the others rescaled to fill the rest — starting from equal
/// weights, repeated until no change helps (at most <c>rounds</c> passes).
/// </summary>
public static class EnsembleWeightTuner
{
    /// <param name="members">Per member, the same case-days in the same order (their probabilities differ).</param>
    /// <returns>Weights summing to 1, with the blend's score and the equal-weight score.</returns>
    public static (double[] Weights, double Score, double EqualScore) Search(IReadOnlyList<string> classes,
        IReadOnlyList<IReadOnlyList<TuningCase>> members, double step = 0.1, int rounds = 3, Action<string>? progress = null)
    {
        if (members.Count < 2)
        {
            throw new MedSegException($"an ensemble needs at least two members to weigh; got {members.Count}.");
        }
        var defaults = Enumerable.Repeat(0.5, classes.Count).ToArray();
        double Score(double[] weights) => ThresholdTuner.Score(classes, Blend(members, weights), defaults, 0);
        var weights = Enumerable.Repeat(1.0 / members.Count, members.Count).ToArray();
        var equal = Score(weights);
        var best = equal;
        var grid = Enumerable.Range(0, (int)Math.Round(1 / step) + 1).Select(i => Math.Min(1, i * step)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            var improved = false;
            for (var m = 0; m < members.Count; m++)
            {
                foreach (var share in grid)
                {
                    var trial = WithShare(weights, m, share);
                    var score = Score(trial);
                    if (score > best + 1e-12)
                    {
                        (best, weights, improved) = (score, trial, true);
                    }
                }
            }
            progress?.Invoke($"weights {string.Join(", ", weights.Select(w => w.ToString("F2")))} (score {best:F4})");
            if (!improved)
            {
                break;
            }
        }
        return (weights, best, equal);
    }

    /// <summary>The members' probabilities averaged with <paramref name="weights"/> (which sum to 1), case by case.</summary>
    public static IReadOnlyList<TuningCase> Blend(IReadOnlyList<IReadOnlyList<TuningCase>> members, IReadOnlyList<double> weights)
    {
        var blended = new TuningCase[members[0].Count];
        for (var i = 0; i < blended.Length; i++)
        {
            var first = members[0][i];
            var probabilities = first.Probabilities.Select(p => new float[p.Length]).ToArray();
            for (var m = 0; m < members.Count; m++)
            {
                var weight = (float)weights[m];
                for (var c = 0; c < probabilities.Length; c++)
                {
                    var source = members[m][i].Probabilities[c];
                    var target = probabilities[c];
                    for (var p = 0; p < target.Length; p++)
                    {
                        target[p] += weight * source[p];
                    }
                }
            }
            blended[i] = first with { Probabilities = probabilities };
        }
        return blended;
    }

    /// <summary><paramref name="weights"/> with member <paramref name="m"/> at <paramref name="share"/> and the others rescaled to 1 − share.</summary>
    private static double[] WithShare(double[] weights, int m, double share)
    {
        var others = weights.Where((_, i) => i != m).Sum();
        return weights.Select((w, i) => i == m ? share
            : others > 0 ? w / others * (1 - share) : (1 - share) / (weights.Length - 1)).ToArray();
    }
}
