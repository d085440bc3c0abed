using MedSeg.Torch.Data;

namespace MedSeg.Tests.Torch.Data;

public sealed class EpochPlanTests
{
    [Fact]
    public void Batches_cut_one_shuffle_per_epoch_with_streams_unique_to_each_sample()
    {
        var plan = EpochPlan.Of(22, 4, 5, seed: 7, epoch: 3);
        Assert.Equal(5, plan.Count);
        Assert.All(plan, b => Assert.Equal(4, b.Samples.Count));
        var positions = plan.SelectMany(b => b.Samples).ToArray();
        Assert.Equal(20, positions.Distinct().Count());
        Assert.All(positions, p => Assert.InRange(p, 0, 21));
        Assert.Equal(Enumerable.Range(0, 5).Select(b => 300_000_000L + b * 4), plan.Select(b => b.Stream));
        Assert.Equal(positions, EpochPlan.Of(22, 4, 5, 7, 3).SelectMany(b => b.Samples));
        Assert.NotEqual(positions, EpochPlan.Of(22, 4, 5, 7, 4).SelectMany(b => b.Samples));
    }

    [Fact]
    public void More_batches_than_one_pass_draw_every_sample_again_in_a_new_order_after_the_first_pass()
    {
        var plan = EpochPlan.Of(6, 4, 5, seed: 7, epoch: 2);
        Assert.All(plan, b => Assert.Equal(4, b.Samples.Count));
        var positions = plan.SelectMany(b => b.Samples).ToArray();
        Assert.Equal(EpochPlan.Of(6, 6, 1, 7, 2).Single().Samples, positions[..6]); // the first pass is the plain epoch's order
        Assert.Equal(Enumerable.Range(0, 6), positions[6..12].Order());
        Assert.Equal(Enumerable.Range(0, 6), positions[12..18].Order());
        Assert.NotEqual(positions[..6], positions[6..12]);
        Assert.Equal(5, plan.Select(b => b.Stream).Distinct().Count());
    }

    [Fact]
    public void The_last_batch_may_be_short()
    {
        var plan = EpochPlan.Of(10, 4, 3, seed: 1, epoch: 1);
        Assert.Equal([4, 4, 2], plan.Select(b => b.Samples.Count));
    }
}
