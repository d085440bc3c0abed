using MedSeg.Torch.Benchmarks;

namespace MedSeg.Tests.Torch;

/// <summary><c>bench train</c>'s <c>breakdown</c>: the parts of a training step, each timed, adding up to about the step.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class ModelBenchmarkBreakdownTests
{
    [Fact]
    public void TrainingLineBreaksTheStepIntoItsParts()
    {
        var options = new ModelBenchmark.Options("unet", "resnet18", Batch: 2, Height: 64, Width: 64, Classes: 2, Steps: 3, Warmup: 1, Precision: "bf16");
        var result = ModelBenchmark.Run(options, training: true);
        var breakdown = Assert.IsType<Dictionary<string, double>>(result["breakdown"]);
        Assert.Equal(["data", "zero_grad", "forward", "loss", "backward", "optimizer"], breakdown.Keys);
        Assert.All(breakdown.Values, ms => Assert.True(ms >= 0));
        Assert.True(breakdown["forward"] > 0 && breakdown["backward"] > 0 && breakdown["optimizer"] > 0);
        // Medians of parts need not add up to the median step exactly; under load they stay within a factor of two.
        var step = (double)result["ms_per_step"];
        var sum = breakdown.Values.Sum();
        Assert.InRange(sum, step / 2, step * 2);
    }

    [Fact]
    public void InferenceLinesBreakTheBatchIntoInferenceParts()
    {
        var options = new ModelBenchmark.Options("unet", "resnet18", Batch: 1, Height: 64, Width: 64, Classes: 2, Steps: 1, Warmup: 0, Precision: "fp32");
        var eager = ModelBenchmark.Run(options, training: false);
        var parts = Assert.IsType<Dictionary<string, object>>(eager["breakdown"]);
        Assert.Equal(["input", "forward", "sigmoid_read"], parts.Keys);
        Assert.DoesNotContain("backward", parts.Keys);
        var prepared = InferenceBenchmark.Run(options, ["prepared"])[0];
        Assert.Equal(["input", "layout_cast", "forward", "output_cast", "sigmoid_read", "prepare_once"],
            Assert.IsType<Dictionary<string, object>>(prepared["breakdown"]).Keys);
    }
}
