using MedSeg.Core.Augmentations;
using MedSeg.Torch.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Data;

/// <summary>Batches taken from the loader inside dispose scopes leave libtorch's live tensor count flat.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class LoaderTensorLeakTests(SynthSlices synth) : IClassFixture<SynthSlices>
{
    [Fact]
    public void Live_tensor_count_stays_flat_over_batches()
    {
        var plan = EpochPlan.Of(synth.All.Count, 4, 5, seed: 3, epoch: 1);
        var counts = new List<long>();
        using (var loader = SliceBatchLoader.Start(new SliceTensors(3, 1, 32, 32), synth.All, 3, AugmentationPipeline.Empty, 3, plan, new LoaderOptions(2, 2)))
        {
            for (var b = 0; b < loader.Count; b++)
            {
                using (var scope = NewDisposeScope())
                {
                    var batch = loader.Next();
                    (batch.Inputs.sum() + batch.Targets.sum()).item<float>();
                }
                GC.Collect();
                GC.WaitForPendingFinalizers();
                counts.Add(torch.Tensor.TotalCount);
            }
        }
        Assert.True(counts[^1] <= counts[0], $"live tensors grew from {counts[0]} to {counts[^1]} over {counts.Count} batches");
    }
}
