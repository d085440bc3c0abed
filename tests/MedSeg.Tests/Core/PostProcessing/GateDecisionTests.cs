using MedSeg.Core.PostProcessing;

namespace MedSeg.Tests.Core.PostProcessing;

public sealed class GateDecisionTests
{
    [Fact]
    public void AClassTheGateCallsAbsentIsEmptiedOnThatSliceOnly()
    {
        // Two classes, two slices of 1×2 pixels, every probability above the threshold.
        float[][] probabilities = [[0.9f, 0.8f, 0.7f, 0.6f], [0.9f, 0.9f, 0.9f, 0.9f]];
        bool[][] present = [[true, false], [false, true]];

        var masks = ProbabilityThreshold.Apply(probabilities, 2, 1, 2, [0.5, 0.5], null, PostProcessOptions.None, present);

        Assert.Equal(new byte[] { 1, 1, 0, 0 }, masks[0]);
        Assert.Equal(new byte[] { 0, 0, 1, 1 }, masks[1]);
    }

    [Fact]
    public void WithoutAGateOnlyTheThresholdDecides()
    {
        float[][] probabilities = [[0.9f, 0.4f, 0.7f, 0.6f]];

        var masks = ProbabilityThreshold.Apply(probabilities, 2, 1, 2, [0.5], null, PostProcessOptions.None);

        Assert.Equal(new byte[] { 1, 0, 1, 1 }, masks[0]);
    }
}
