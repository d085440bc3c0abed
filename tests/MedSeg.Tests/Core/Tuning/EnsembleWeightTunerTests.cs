using MedSeg.Core;
using MedSeg.Core.Tuning;

namespace MedSeg.Tests.Core.Tuning;

public sealed class EnsembleWeightTunerTests
{
    /// <summary>One class, one case-day of 2 slices of 4×4; the organ is the first 6 pixels of each slice.</summary>
    private static byte[] Truth() => Enumerable.Range(0, 32).Select(i => (byte)(i % 16 < 6 ? 1 : 0)).ToArray();

    private static TuningCase Case(Func<bool, float> probability)
    {
        var truth = Truth();
        return new TuningCase("case1_day0", 2, 4, 4, [truth.Select(t => probability(t == 1)).ToArray()], [truth]);
    }

    [Fact]
    public void BlendIsTheWeightedAverage()
    {
        var low = Case(_ => 0.2f);
        var blended = EnsembleWeightTuner.Blend([[low], [Case(_ => 0.8f)]], [0.25, 0.75]);
        Assert.All(blended[0].Probabilities[0], p => Assert.Equal(0.65f, p, 6));
        Assert.Same(low.Truth, blended[0].Truth);
    }

    [Fact]
    public void FindsWeightsThatTrustTheBetterMember()
    {
        // A separates the organ perfectly (0.9 / 0.1); B calls everything organ (0.95). Equal weights put the
        // background at 0.525 > 0.5, a false positive everywhere; A's share ≥ 0.6 makes the blend perfect.
        var sharp = Case(organ => organ ? 0.9f : 0.1f);
        var blunt = Case(_ => 0.95f);

        var (weights, score, equal) = EnsembleWeightTuner.Search(["organ"], [[sharp], [blunt]]);

        Assert.True(equal < 1, $"equal weights should not be perfect: {equal}");
        Assert.Equal(1, score, 12);
        Assert.True(weights[0] >= 0.6 - 1e-9, $"weights {string.Join(", ", weights)}");
        Assert.Equal(1, weights.Sum(), 9);
    }

    [Fact]
    public void OneMemberIsNotAnEnsemble()
    {
        var error = Assert.Throws<MedSegException>(() => EnsembleWeightTuner.Search(["organ"], [[Case(_ => 0.5f)]]));
        Assert.Contains("two members", error.Message);
    }
}
