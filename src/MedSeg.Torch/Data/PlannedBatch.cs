namespace MedSeg.Torch.Data;

/// <summary>
/// The slices of one training batch and the first augmentation stream of its samples (sample i draws from stream
/// <see cref="Stream"/> + i): everything its content depends on besides the seed.
/// </summary>
public sealed record PlannedBatch(IReadOnlyList<SliceRef> Slices, long Stream);
