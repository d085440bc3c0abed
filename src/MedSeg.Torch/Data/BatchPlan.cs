namespace MedSeg.Torch.Data;

/// <summary>
/// One training batch: the positions of its samples in the epoch's sample list and the first augmentation stream
/// (sample i draws from <see cref="Stream"/> + i). With the seed, all its content depends on.
/// </summary>
public sealed record BatchPlan(IReadOnlyList<int> Samples, long Stream);
