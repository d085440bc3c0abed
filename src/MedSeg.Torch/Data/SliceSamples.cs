using MedSeg.Core.Augmentations;

namespace MedSeg.Torch.Data;

/// <summary>
/// A batch before it becomes tensors: one sample per slice (image stack and masks at the cropped slice size, after
/// augmentation) and whether the loss ignores it. Plain arrays, so loader threads can build it without libtorch.
/// </summary>
public sealed record SliceSamples(IReadOnlyList<AugmentationSample> Samples, IReadOnlyList<bool> IgnoreInLoss);
