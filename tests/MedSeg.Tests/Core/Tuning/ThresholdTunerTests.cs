using MedSeg.Core.Tuning;

namespace MedSeg.Tests.Core.Tuning;

public sealed class ThresholdTunerTests
{
    [Fact]
    public void FindsTheThresholdThatSeparatesTheTruth()
    {
        // One class, one case-day of 2 slices of 4×4: the true pixels have probability 0.4, the rest 0.2, so any
        // threshold in [0.2, 0.4) is perfect (score 1) while the default 0.5 predicts nothing (score 0).
        var truth = new byte[32];
        var probabilities = new float[32];
        for (var i = 0; i < 32; i++)
        {
            truth[i] = (byte)(i % 16 < 6 ? 1 : 0);
            probabilities[i] = truth[i] == 1 ? 0.4f : 0.2f;
        }
        var tuned = ThresholdTuner.Search(["organ"], [new TuningCase("case1_day0", 2, 4, 4, [probabilities], [truth])]);
        Assert.Equal(0, tuned.DefaultScore);
        Assert.Equal(1, tuned.Score, 12);
        Assert.InRange(tuned.Thresholds[0], 0.2, 0.39);
        Assert.Equal(0, tuned.MinPixels);
    }

    [Fact]
    public void MinimumPixelCountRemovesSpecks()
    {
        // Slice 0: a true 3×3 organ predicted exactly; slice 1: empty truth with a 1-pixel false positive far away.
        var truth = new byte[2 * 64];
        var probabilities = new float[2 * 64];
        foreach (var (y, x) in new[] { (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3) })
        {
            truth[y * 8 + x] = 1;
            probabilities[y * 8 + x] = 0.9f;
        }
        probabilities[64 + 7 * 8 + 7] = 0.9f;
        var tuned = ThresholdTuner.Search(["organ"], [new TuningCase("case1_day0", 2, 8, 8, [probabilities], [truth])],
            thresholdCandidates: [0.5], minPixelCandidates: [0, 5]);
        Assert.Equal(5, tuned.MinPixels);
        Assert.True(tuned.Score > tuned.DefaultScore);
    }
}
