namespace MedSeg.Torch.Data;

/// <summary>
/// Builds the batches of one epoch with worker threads ahead of the training step, at most
/// <see cref="LoaderOptions.Prefetch"/> batches ahead (a bounded queue). A batch is made in two parts:
/// <c>build</c> (decoding, preprocessing, augmentation into plain arrays; runs on a worker) and <c>finish</c> (tensors;
/// runs in <see cref="Next"/> on the caller's thread, in its dispose scope, so no tensor outlives its owner). Batch b
/// is what the synchronous path gives as long as build depends only on b, whatever the thread timing. An exception
/// in a worker is rethrown, unchanged, by the <see cref="Next"/> call that asks for that batch. Disposing stops the
/// workers and waits for them.
/// </summary>
/// <typeparam name="TWork">What a worker hands over (arrays, no tensors).</typeparam>
/// <typeparam name="TBatch">What the training step takes.</typeparam>
public sealed class BatchLoader<TWork, TBatch> : IBatchLoader<TBatch>
{
    private readonly Func<int, bool, TWork> build;
    private readonly Func<TWork, TBatch> finish;
    private readonly TaskCompletionSource<TWork>?[] ready;
    private readonly SemaphoreSlim freeSlots;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread[] workers;
    private int claimed = -1;
    private int taken;
    private bool disposed;

    /// <summary>Starts the workers.</summary>
    /// <param name="count">Batches in the epoch.</param>
    /// <param name="build">Builds batch b; the flag is true when no worker threads run, so it may spread over the thread pool itself.</param>
    /// <param name="finish">Turns a built batch into what the step takes (called on the caller's thread).</param>
    /// <param name="options">Worker threads (0 = build in <see cref="Next"/>) and prefetch depth.</param>
    public BatchLoader(int count, Func<int, bool, TWork> build, Func<TWork, TBatch> finish, LoaderOptions options)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        this.build = build;
        this.finish = finish;
        Count = count;
        ready = new TaskCompletionSource<TWork>?[count];
        for (var b = 0; b < count; b++)
        {
            ready[b] = new TaskCompletionSource<TWork>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        freeSlots = new SemaphoreSlim(options.Prefetch);
        workers = new Thread[options.Threads];
        for (var t = 0; t < workers.Length; t++)
        {
            workers[t] = new Thread(Work) { IsBackground = true, Name = $"medseg-loader-{t}" };
            workers[t].Start();
        }
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>The next batch in plan order, finished on the caller's thread; blocks until a worker has built it.</summary>
    /// <exception cref="InvalidOperationException">Every batch was taken already.</exception>
    public TBatch Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (taken >= Count)
        {
            throw new InvalidOperationException($"all {Count} batches of the epoch were taken.");
        }
        var b = taken++;
        if (workers.Length == 0)
        {
            return finish(build(b, true));
        }
        TWork work;
        try
        {
            // GetResult rethrows a worker's exception as it was thrown (not wrapped in an AggregateException).
            work = ready[b]!.Task.GetAwaiter().GetResult();
        }
        finally
        {
            ready[b] = null;
            freeSlots.Release();
        }
        return finish(work);
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                freeSlots.Wait(stop.Token);
                var b = Interlocked.Increment(ref claimed);
                if (b >= Count)
                {
                    return;
                }
                var slot = ready[b]!;
                try
                {
                    slot.SetResult(build(b, false));
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
