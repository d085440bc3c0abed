using MedSeg.Torch.Benchmarks;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Torch;

/// <summary>
/// The reduced soak (<c>medseg bench soak</c> runs the full 1,000 + 1,000): 200 training steps of the tiny network
/// through the trainer and 200 sliding-window predictions, read every 50 (40 s of test time at load average 31 on the
/// 2-core VM); after warm-up, resident memory and the live tensor count stay within 5 %.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class SoakTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Memory_and_live_tensors_stay_flat_over_training_and_inference()
    {
        var samples = SoakBenchmark.Run(new SoakBenchmark.Options(TrainSteps: 200, InferPasses: 200, Every: 50, Threads: 1), _folder.Path);
        var table = string.Join("; ", samples.Select(s => $"{s.Stage} {s.Count}: {s.RssMb:F1} MB, {s.LiveTensors} tensors"));
        Assert.Equal(8, samples.Count);
        foreach (var stage in new[] { "train", "infer" })
        {
            Assert.True(SoakBenchmark.Growth(samples, stage, s => s.LiveTensors) <= 0.05, table);
            Assert.True(SoakBenchmark.Growth(samples, stage, s => s.RssMb) <= 0.05, table);
        }
    }
}
