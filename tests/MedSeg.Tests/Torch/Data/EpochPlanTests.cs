using MedSeg.Torch.Data;

namespace MedSeg.Tests.Torch.Data;

public sealed class EpochPlanTests(SynthSlices synth) : IClassFixture<SynthSlices>
{
    [Fact]
    public void Batches_cut_one_shuffle_per_epoch_with_streams_unique_to_each_sample()
    {
        var plan = EpochPlan.Of(synth.All, 4, 5, seed: 7, epoch: 3);
        Assert.Equal(5, plan.Count);
        Assert.All(plan, b => Assert.Equal(4, b.Slices.Count));
        Assert.Equal(20, plan.SelectMany(b => b.Slices).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 5).Select(b => 300_000_000L + b * 4), plan.Select(b => b.Stream));
        Assert.Equal(plan.SelectMany(b => b.Slices), EpochPlan.Of(synth.All, 4, 5, 7, 3).SelectMany(b => b.Slices));
        Assert.NotEqual(plan.SelectMany(b => b.Slices), EpochPlan.Of(synth.All, 4, 5, 7, 4).SelectMany(b => b.Slices));
    }
}
