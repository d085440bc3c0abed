namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// A background thread that collects garbage and runs finalizers in a loop until disposed: it makes the
/// TorchSharp race where a temporary <c>Scalar</c> is finalized during the native call it was passed to
/// happen many times a second instead of once in a long CI run.
/// </summary>
public sealed class GarbageCollectionPressure : IDisposable
{
    private readonly Thread thread;
    private volatile bool stop;

    public GarbageCollectionPressure()
    {
        thread = new Thread(() =>
        {
            while (!stop)
            {
                GC.KeepAlive(new byte[1 << 16]);
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
                Collections++;
            }
        }) { IsBackground = true };
        thread.Start();
    }

    /// <summary>Collections made so far (read after <see cref="Dispose"/> for an exact count).</summary>
    public long Collections { get; private set; }

    public void Dispose()
    {
        stop = true;
        thread.Join();
    }
}
