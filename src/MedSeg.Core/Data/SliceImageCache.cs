namespace MedSeg.Core.Data;

/// <summary>
/// Decoded slice images kept in memory up to a budget, the least recently used evicted first, so that epochs after
/// the first skip PNG decoding. Thread-safe: loader threads share one cache. Decoding happens outside the lock, so a
/// slice two threads miss at once may be decoded twice (both get equal pixels; one copy is kept). A budget of 0
/// caches nothing and reads every time.
/// </summary>
public sealed class SliceImageCache
{
    private readonly object gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Path, ushort[] Pixels)>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Path, ushort[] Pixels)> recency = new();
    private long bytes;
    private long hits;
    private long misses;

    /// <summary>Creates a cache holding at most <paramref name="budgetMegabytes"/> MiB of pixels.</summary>
    public SliceImageCache(int budgetMegabytes)
    {
        if (budgetMegabytes < 0)
        {
            throw new MedSegException($"cache_mb {budgetMegabytes} must not be negative; use 0 to turn the slice cache off.");
        }
        BudgetBytes = budgetMegabytes * 1024L * 1024L;
    }

    /// <summary>A cache that holds nothing.</summary>
    public static SliceImageCache None => new(0);

    /// <summary>The most pixel bytes kept.</summary>
    public long BudgetBytes { get; }

    /// <summary>Pixel bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>Slices held now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Reads served from memory.</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Reads that decoded the file.</summary>
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>The slice's H×W pixels (image channel 0); shared with other readers, so never write to them.</summary>
    /// <exception cref="MedSegException">The file is unreadable or its size disagrees with its name.</exception>
    public ReadOnlyMemory<ushort> Read(UwSlice slice) => ReadChannel(slice, 0);

    /// <summary>The H×W pixels of the slice's image channel <paramref name="channel"/>; shared with other readers, so never write to them.</summary>
    /// <exception cref="MedSegException">The file is unreadable or its size disagrees with its name.</exception>
    public ReadOnlyMemory<ushort> ReadChannel(UwSlice slice, int channel)
    {
        var path = slice.ChannelPaths[channel];
        lock (gate)
        {
            if (entries.TryGetValue(path, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                hits++;
                return node.Value.Pixels;
            }
        }
        Interlocked.Increment(ref misses);
        var pixels = slice.ReadImage(channel);
        Add(path, pixels);
        return pixels;
    }

    private void Add(string path, ushort[] pixels)
    {
        long size = pixels.Length * sizeof(ushort);
        if (size > BudgetBytes)
        {
            return;
        }
        lock (gate)
        {
            if (entries.ContainsKey(path))
            {
                return;
            }
            while (bytes + size > BudgetBytes)
            {
                var oldest = recency.Last!;
                recency.RemoveLast();
                entries.Remove(oldest.Value.Path);
                bytes -= oldest.Value.Pixels.Length * sizeof(ushort);
            }
            entries[path] = recency.AddFirst((path, pixels));
            bytes += size;
        }
    }
}
