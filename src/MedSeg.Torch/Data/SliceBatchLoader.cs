using MedSeg.Core.Augmentations;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Data;

/// <summary>
/// The 2D / 2.5D batch loader: workers read, crop, normalise, augment and resize the slices of each planned batch
/// (<see cref="SliceTensors.Samples"/>); <see cref="IBatchLoader{TBatch}.Next"/> copies them into tensors
/// (<see cref="SliceTensors.ToBatch"/>). Batch b equals <see cref="SliceTensors.Batch"/> of the same slices and stream.
/// </summary>
public static class SliceBatchLoader
{
    /// <summary>Starts loading <paramref name="plan"/>, whose positions index <paramref name="samples"/>.</summary>
    public static IBatchLoader<TrainingBatch> Start(SliceTensors tensors, IReadOnlyList<SliceRef> samples, int classes, AugmentationPipeline pipeline,
        int seed, IReadOnlyList<BatchPlan> plan, LoaderOptions options) =>
        new BatchLoader<SliceSamples, TrainingBatch>(plan.Count,
            (b, parallel) => tensors.Samples(plan[b].Samples.Select(i => samples[i]).ToArray(), classes, pipeline, seed, plan[b].Stream, parallel),
            tensors.ToBatch, options);
}
