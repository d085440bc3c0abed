using MedSeg.Core.Data;

namespace MedSeg.Torch.Data;

/// <summary>
/// The batches of one training epoch: sample positions shuffled by (seed, epoch), cut into consecutive batches, each
/// with augmentation streams that no other batch of any epoch shares. Only the seed, the epoch and the batch index
/// decide what a batch holds, so a batch built ahead on a loader thread equals the one built when asked.
/// </summary>
public static class EpochPlan
{
    /// <summary>Room for the augmentation streams of one epoch's samples.</summary>
    private const long StreamsPerEpoch = 100_000_000L;

    /// <summary>
    /// <paramref name="batchCount"/> batches of up to <paramref name="batchSize"/> of the positions 0…<paramref name="sampleCount"/>−1
    /// in the order epoch <paramref name="epoch"/> shuffles them for <paramref name="seed"/> (the last batch of a single
    /// pass may be short). When more batches are asked for than one pass holds (a fixed number of steps per epoch),
    /// further shuffles follow the first, so each sample comes back once per pass (with other augmentation streams).
    /// </summary>
    public static IReadOnlyList<BatchPlan> Of(int sampleCount, int batchSize, int batchCount, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCount);
        var onePass = (sampleCount + batchSize - 1) / batchSize;
        var passes = batchCount <= onePass ? 1 : (int)Math.Ceiling((double)batchCount * batchSize / sampleCount);
        var order = Enumerable.Range(0, passes).SelectMany(pass =>
        {
            var shuffled = Enumerable.Range(0, sampleCount).ToArray();
            new DeterministicRandom(seed, epoch + (pass * (1L << 32))).Shuffle(shuffled.AsSpan());
            return shuffled;
        }).ToArray();
        var batches = new BatchPlan[batchCount];
        for (var b = 0; b < batchCount; b++)
        {
            batches[b] = new BatchPlan(order.Skip(b * batchSize).Take(batchSize).ToArray(), epoch * StreamsPerEpoch + (long)b * batchSize);
        }
        return batches;
    }
}
