using MedSeg.Core;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void CosineWarmsUpLinearlyThenDecaysToZero()
    {
        var s = new LearningRateSchedule("cosine", 1.0, totalSteps: 110, warmupSteps: 10);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(1.0, s.At(9), 12);
        Assert.Equal(1.0, s.At(10), 12);
        Assert.Equal(0.5, s.At(60), 12); // halfway through the 100 decay steps: (1 + cos π/2) / 2
        Assert.Equal(0.0, s.At(110), 12);
    }

    [Fact]
    public void PolyFollowsNnUnet()
    {
        var s = new LearningRateSchedule("poly", 0.01, totalSteps: 100, warmupSteps: 0);
        Assert.Equal(0.01, s.At(0), 12);
        Assert.Equal(0.01 * Math.Pow(0.5, 0.9), s.At(50), 12);
    }

    [Fact]
    public void OneCycleStartsLowPeaksAtThirtyPercentAndEndsLower()
    {
        var s = new LearningRateSchedule("onecycle", 1.0, totalSteps: 100, warmupSteps: 0);
        Assert.Equal(1.0 / 25, s.At(0), 12);
        Assert.Equal(1.0, s.At(29), 12);
        Assert.Equal(1.0 / 25 / 1e4, s.At(99), 12);
    }

    [Fact]
    public void UnknownScheduleNamesTheOption()
    {
        var error = Assert.Throws<MedSegException>(() => new LearningRateSchedule("step", 1, 10, 0));
        Assert.Contains("--schedule", error.Message);
    }
}
