using MedSeg.Core.Data;

namespace MedSeg.Torch.Data;

/// <summary>
/// The batches of one training epoch: the samples shuffled by (seed, epoch), cut into consecutive batches, each with
/// augmentation streams that no other batch of any epoch shares. Only the seed, the epoch and the batch index decide
/// what a batch holds.
/// </summary>
public static class EpochPlan
{
    /// <summary>Room for the augmentation streams of one epoch's samples.</summary>
    private const long StreamsPerEpoch = 100_000_000L;

    /// <summary>
    /// <paramref name="batchCount"/> batches of up to <paramref name="batchSize"/> samples of <paramref name="samples"/>
    /// in the order epoch <paramref name="epoch"/> shuffles them for <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<PlannedBatch> Of(IReadOnlyList<SliceRef> samples, int batchSize, int batchCount, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = Enumerable.Range(0, samples.Count).ToArray();
        new DeterministicRandom(seed, epoch).Shuffle(order.AsSpan());
        var batches = new PlannedBatch[batchCount];
        for (var b = 0; b < batchCount; b++)
        {
            var slices = order.Skip(b * batchSize).Take(batchSize).Select(i => samples[i]).ToArray();
            batches[b] = new PlannedBatch(slices, epoch * StreamsPerEpoch + (long)b * batchSize);
        }
        return batches;
    }
}
