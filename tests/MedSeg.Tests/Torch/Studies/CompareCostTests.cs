using MedSeg.Torch.Studies;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Studies;

/// <summary>The time per example per epoch of <c>medseg compare</c>, on hand-computed epoch records.</summary>
public sealed class CompareCostTests
{
    private static EpochRecord Epoch(int epoch, double trainSeconds, int samples) =>
        new(epoch, 0.5, 1e-3, 0.8, 0.6, 0.1, trainSeconds + 3, false, trainSeconds, samples);

    [Fact]
    public void TheFirstEpochIsLeftOutWhenThereAreMore()
    {
        // Epochs 2 and 3: 6 s of steps over 200 examples; 3 s per epoch over 50 training slices.
        var cost = TrainingCost.From([Epoch(1, 10, 100), Epoch(2, 2, 100), Epoch(3, 4, 100)], trainingSlices: 50, seconds: 30, peakMb: 12);
        Assert.Equal(0.03, cost.SecondsPerExamplePerEpoch, 12);
        Assert.Equal(0.06, cost.SecondsPerSlicePerEpoch, 12);
        Assert.Equal(100, cost.ExamplesPerEpoch);
        Assert.Equal(30, cost.Seconds);
        Assert.Equal(12, cost.PeakMb);
    }

    [Fact]
    public void ASingleEpochIsTimedItself()
    {
        // A 3D epoch of 40 patches over 4 volumes of 20 slices: 8 s → 0.2 s per patch, 0.1 s per slice.
        var cost = TrainingCost.From([Epoch(1, 8, 40)], trainingSlices: 80, seconds: 9, peakMb: 1);
        Assert.Equal(0.2, cost.SecondsPerExamplePerEpoch, 12);
        Assert.Equal(0.1, cost.SecondsPerSlicePerEpoch, 12);
    }
}
