using MedSeg.Torch.Data;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Data;

public sealed class SliceOversamplingTests : IClassFixture<SynthSlices>
{
    private readonly SynthSlices synth;

    public SliceOversamplingTests(SynthSlices synth) => this.synth = synth;

    [Fact]
    public void Every_third_draw_lands_on_a_slice_holding_a_class_and_the_others_stay_as_drawn()
    {
        var slices = synth.All;
        var holds = slices.Select(SliceOversampling.HoldsForeground).ToArray();
        Assert.Contains(true, holds);
        Assert.Contains(false, holds);
        var oversampling = new SliceOversampling(slices, seed: 7);
        Assert.Equal(holds.Count(h => h), oversampling.ForegroundSlices);

        var plan = EpochPlan.Of(slices.Count, 4, 5, seed: 7, epoch: 3);
        var oversampled = oversampling.Apply(plan);
        var swapped = 0;
        for (var b = 0; b < plan.Count; b++)
        {
            Assert.Equal(plan[b].Stream, oversampled[b].Stream);
            for (var i = 0; i < plan[b].Samples.Count; i++)
            {
                var (drawn, kept) = (plan[b].Samples[i], oversampled[b].Samples[i]);
                if (ForegroundDraws.Forced(plan[b].Stream + i, ForegroundDraws.DefaultEvery))
                {
                    Assert.True(holds[kept], $"draw {i} of batch {b} is forced onto foreground");
                    Assert.True(!holds[drawn] || kept == drawn, "a draw already on foreground is kept");
                    swapped += kept == drawn ? 0 : 1;
                }
                else
                {
                    Assert.Equal(drawn, kept);
                }
            }
        }
        Assert.True(swapped > 0, "some forced draws landed on background and were swapped");
        // Deterministic for a seed, another seed picks other foreground slices.
        Assert.Equal(oversampled.SelectMany(b => b.Samples), new SliceOversampling(slices, 7).Apply(plan).SelectMany(b => b.Samples));
        // A third of the background draws move to foreground: the fraction rises from p towards p + (1 - p) / 3.
        var fraction = Enumerable.Range(0, 20).Select(e => oversampling.Apply(EpochPlan.Of(slices.Count, 4, 5, 7, e)).SelectMany(b => b.Samples).Average(s => holds[s] ? 1.0 : 0.0)).Average();
        var p = holds.Average(h => h ? 1.0 : 0.0);
        Assert.True(fraction > p + ((1 - p) / 6), $"foreground fraction {fraction:0.000} rises above the data's {p:0.000}");
    }

    [Fact]
    public void Nothing_is_swapped_when_every_slice_or_no_slice_holds_a_class()
    {
        var foreground = synth.All.Where(SliceOversampling.HoldsForeground).ToArray();
        var background = synth.All.Where(s => !SliceOversampling.HoldsForeground(s)).ToArray();
        foreach (var slices in new[] { foreground, background })
        {
            var plan = EpochPlan.Of(slices.Length, 3, 4, seed: 1, epoch: 1);
            Assert.Equal(plan.SelectMany(b => b.Samples), new SliceOversampling(slices, 1).Apply(plan).SelectMany(b => b.Samples));
        }
    }

    [Fact]
    public void The_share_of_forced_draws_follows_oversample_foreground_and_zero_turns_it_off()
    {
        Assert.Equal(3, new TrainConfig { Mode = "2.5d" }.ForegroundEvery);
        Assert.Equal(3, new TrainConfig { Mode = "3d" }.ForegroundEvery);
        Assert.Equal(0, new TrainConfig { Mode = "2d" }.ForegroundEvery);
        Assert.Equal(3, new TrainConfig { Mode = "2d", OversampleForeground = 0.33 }.ForegroundEvery);
        Assert.Equal(2, new TrainConfig { OversampleForeground = 0.5 }.ForegroundEvery);
        Assert.Equal(1, new TrainConfig { OversampleForeground = 1 }.ForegroundEvery);
        Assert.Equal(0, new TrainConfig { OversampleForeground = 0 }.ForegroundEvery);
        Assert.Equal([false, false, true, false, false, true], Enumerable.Range(0, 6).Select(p => ForegroundDraws.Forced(p, 3)));
        Assert.All(Enumerable.Range(0, 6), p => Assert.True(ForegroundDraws.Forced(p, 1)));
        Assert.All(Enumerable.Range(0, 6), p => Assert.False(ForegroundDraws.Forced(p, 0)));
        var plan = EpochPlan.Of(synth.All.Count, 4, 5, seed: 7, epoch: 3);
        Assert.Equal(plan.SelectMany(b => b.Samples), new SliceOversampling(synth.All, 7, every: 0).Apply(plan).SelectMany(b => b.Samples));
        Assert.All(new SliceOversampling(synth.All, 7, every: 1).Apply(plan).SelectMany(b => b.Samples), s => Assert.True(SliceOversampling.HoldsForeground(synth.All[s])));
        var error = Assert.Throws<MedSeg.Core.MedSegException>(() => new TrainConfig { OversampleForeground = 1.5 }.Validate());
        Assert.Contains("--oversample-foreground 1.5", error.Message, StringComparison.Ordinal);
    }
}
