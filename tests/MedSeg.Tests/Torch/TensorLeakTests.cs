using MedSeg.Torch.Training;
using TorchSharp;

namespace MedSeg.Tests.Torch;

/// <summary>Every training and validation step disposes what it creates: libtorch's live tensor count stays flat.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class TensorLeakTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-leak-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void LiveTensorCountStaysFlatOverSteps()
    {
        var data = TrainerTests.Synthesise(root);
        var counts = new List<long>();
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 2 }, Path.Combine(root, "run"), new TrainingEvents
        {
            Step = (_, _, _, _, _) =>
            {
                // Wrappers the GC has not finalised yet are not leaks: count what is really alive.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                counts.Add(torch.Tensor.TotalCount);
            },
        });
        Assert.True(counts.Count >= 4);
        Assert.True(counts[^1] <= counts[1], $"live tensors grew from {counts[1]} to {counts[^1]} over {counts.Count} steps");
    }
}
