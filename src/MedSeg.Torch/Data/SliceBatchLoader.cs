using MedSeg.Core.Augmentations;

namespace MedSeg.Torch.Data;

/// <summary>
/// Loads the planned batches of one epoch with worker threads that decode, crop, normalise and augment ahead of the
/// training step, at most <see cref="LoaderOptions.Prefetch"/> batches ahead (a bounded queue). Workers build plain
/// arrays; tensors are made by <see cref="Next"/> on the caller's thread in its dispose scope. Batch b is the batch
/// the synchronous path builds for the same plan, whatever the thread timing: its content depends only on the seed
/// and the plan. An exception in a worker is rethrown, unchanged, by the <see cref="Next"/> call that asks for that
/// batch. Disposing stops the workers and waits for them.
/// </summary>
public sealed class SliceBatchLoader : IDisposable
{
    private readonly SliceTensors tensors;
    private readonly int classes;
    private readonly AugmentationPipeline pipeline;
    private readonly int seed;
    private readonly IReadOnlyList<PlannedBatch> plan;
    private readonly TaskCompletionSource<SliceSamples>?[] ready;
    private readonly SemaphoreSlim freeSlots;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread[] workers;
    private int claimed = -1;
    private int taken;
    private bool disposed;

    /// <summary>Starts the workers on <paramref name="plan"/> (see <see cref="EpochPlan"/>).</summary>
    public SliceBatchLoader(SliceTensors tensors, int classes, AugmentationPipeline pipeline, int seed, IReadOnlyList<PlannedBatch> plan,
        LoaderOptions options)
    {
        options.Validate();
        this.tensors = tensors;
        this.classes = classes;
        this.pipeline = pipeline;
        this.seed = seed;
        this.plan = plan;
        ready = new TaskCompletionSource<SliceSamples>?[plan.Count];
        for (var b = 0; b < ready.Length; b++)
        {
            ready[b] = new TaskCompletionSource<SliceSamples>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        freeSlots = new SemaphoreSlim(options.Prefetch);
        workers = new Thread[options.Threads];
        for (var t = 0; t < workers.Length; t++)
        {
            workers[t] = new Thread(Work) { IsBackground = true, Name = $"medseg-loader-{t}" };
            workers[t].Start();
        }
    }

    /// <summary>Batches in the plan.</summary>
    public int Count => plan.Count;

    /// <summary>
    /// The next batch in plan order as tensors in the caller's dispose scope; blocks until a worker has built it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every batch was taken already.</exception>
    public SliceBatch Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (taken >= plan.Count)
        {
            throw new InvalidOperationException($"all {plan.Count} batches of the epoch were taken.");
        }
        var b = taken++;
        SliceSamples samples;
        if (workers.Length == 0)
        {
            samples = Build(b, parallel: true);
        }
        else
        {
            try
            {
                // GetResult rethrows a worker's exception as it was thrown (not wrapped in an AggregateException).
                samples = ready[b]!.Task.GetAwaiter().GetResult();
            }
            finally
            {
                ready[b] = null;
                freeSlots.Release();
            }
        }
        return tensors.ToBatch(samples);
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                freeSlots.Wait(stop.Token);
                var b = Interlocked.Increment(ref claimed);
                if (b >= plan.Count)
                {
                    return;
                }
                var slot = ready[b]!;
                try
                {
                    slot.SetResult(Build(b, parallel: false));
                }
                catch (Exception e)
                {
                    slot.SetException(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: stop quietly.
        }
    }

    private SliceSamples Build(int b, bool parallel) =>
        tensors.Samples(plan[b].Slices, classes, pipeline, seed, plan[b].Stream, parallel);

    /// <summary>Stops the workers (each finishes the batch it is building) and waits for them to end.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        stop.Cancel();
        foreach (var worker in workers)
        {
            worker.Join();
        }
        freeSlots.Dispose();
        stop.Dispose();
    }
}
