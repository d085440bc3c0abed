using MedSeg.Cli;

namespace MedSeg.Tests.Cli;

/// <summary>The training progress bar tells the pace: time per step and what is left of the epoch.</summary>
public class ConsoleTrainingEventsTests
{
    [Theory]
    [InlineData(0.42, "0.42s")]
    [InlineData(12.54, "12.5s")]
    [InlineData(185, "3m05s")]
    [InlineData(3720, "1h02m")]
    public void DurationsAreShortAndHuman(double seconds, string expected) =>
        Assert.Equal(expected, ConsoleTrainingEvents.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void ThePaceAfterTheFirstStepEstimatesTheRestOfTheEpoch()
    {
        Assert.Equal("  2m50s/step, ~17m00s left in the epoch", ConsoleTrainingEvents.Pace(TimeSpan.FromSeconds(170), 1, 7));
        Assert.Equal("  1.50s/step, ~3.00s left in the epoch", ConsoleTrainingEvents.Pace(TimeSpan.FromSeconds(6), 4, 6));
        Assert.Equal("  2.00s/step", ConsoleTrainingEvents.Pace(TimeSpan.FromSeconds(8), 4, 4));
        Assert.Equal("", ConsoleTrainingEvents.Pace(TimeSpan.FromSeconds(1), 0, 4));
    }
}
