using MedSeg.Core;

namespace MedSeg.Torch.Data;

/// <summary>
/// How a <see cref="BatchLoader{TWork, TBatch}"/> works: <see cref="Threads"/> worker threads (0 = build each batch on the
/// caller's thread when it is asked for, spread over the thread pool) and at most <see cref="Prefetch"/> batches
/// built ahead of the one the training step takes.
/// </summary>
public sealed record LoaderOptions(int Threads = 1, int Prefetch = 2)
{
    /// <summary>No worker threads: the synchronous path.</summary>
    public static LoaderOptions Synchronous { get; } = new(0, 1);

    /// <summary>Checks the values; errors name the config key.</summary>
    public void Validate()
    {
        if (Threads < 0)
        {
            throw new MedSegException($"loader_threads {Threads} must be 0 (load on the training thread) or more.");
        }
        if (Prefetch < 1)
        {
            throw new MedSegException($"prefetch {Prefetch} must be at least 1 batch.");
        }
    }
}
