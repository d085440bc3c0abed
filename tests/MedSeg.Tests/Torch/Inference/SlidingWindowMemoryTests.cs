using MedSeg.Core.Inference;
using System.Text.Json;
using MedSeg.Torch.Benchmarks;
using MedSeg.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>Sliding-window inference releases what it creates and its memory does not grow with the volume's depth.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class SlidingWindowMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void LiveTensorCountStaysFlat()
    {
        using var net = SlidingWindowInfererTests.PointwiseNet();
        var inferer = new SlidingWindowInferer([8, 8, 8], 0.5, WindowBlend.Gaussian, windowBatch: 2);
        using var volume = randn([1, 2, 17, 19, 11], generator: new Generator(5));
        long Count()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return Tensor.TotalCount;
        }
        inferer.Infer(volume, x => net.call(x).sigmoid()).Dispose();
        var before = Count();
        for (var i = 0; i < 3; i++)
        {
            inferer.Infer(volume, x => net.call(x).sigmoid()).Dispose();
        }
        Assert.Equal(before, Count());
    }

    [Fact]
    public void PeakMemoryStaysBoundedAsTheVolumeGrows()
    {
        var small = new SlidingWindowBenchmark.Options(Depth: 32, Height: 16, Width: 16, Window: "16x16x16", Features: 8, Levels: 2, Classes: 64, Threads: 2);
        var large = small with { Depth = 256 };
        SlidingWindowBenchmark.Run(small); // warm-up: libtorch's first allocations are not the inferer's
        var a = SlidingWindowBenchmark.Run(small);
        var b = SlidingWindowBenchmark.Run(large);
        output.WriteLine(JsonSerializer.Serialize(a));
        output.WriteLine(JsonSerializer.Serialize(b));
        if (double.IsNaN((double)a["peak_mb"]))
        {
            return; // no /proc: nothing to measure on this system
        }
        // 8× the depth: a whole-volume or per-window buffer would add ≥ 14 MB (the large output alone is 16 MB);
        // resident memory is noisy by a few MB (allocator, GC), hence the margin of half the output.
        Assert.True((double)b["peak_mb"] < (double)a["peak_mb"] + 8, $"peak grew from {a["peak_mb"]} MB to {b["peak_mb"]} MB");
    }
}
