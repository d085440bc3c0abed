using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Tests.Core.IO;
using static MedSeg.Tests.Core.Data.UwFolderBuilder;

namespace MedSeg.Tests.Core.Data;

/// <summary>Slices of 400×400 16-bit pixels (312.5 KiB each), so a 1 MiB cache holds exactly three.</summary>
public sealed class SliceImageCacheTests : IDisposable
{
    private const int Side = 400;
    private readonly TempFolder folder = new();
    private readonly IReadOnlyList<UwSlice> slices;

    public SliceImageCacheTests()
    {
        for (var i = 1; i <= 5; i++)
        {
            AddImage(folder.Path, 1, 0, i, Side, Side, split: "test", offset: i * 1000);
        }
        slices = UwMadisonDataset.Load(folder.Path).Slices;
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Evicts_the_least_recently_used_slice_when_the_budget_is_full()
    {
        var cache = new SliceImageCache(1);
        var (a, b, c, d) = (slices[0], slices[1], slices[2], slices[3]);
        cache.Read(a);
        cache.Read(b);
        cache.Read(c);
        cache.Read(a); // hit: b is now the least recently used
        cache.Read(d); // evicts b
        Assert.Equal((1, 4), (cache.Hits, cache.Misses));
        Assert.Equal(3, cache.Count);
        cache.Read(a);
        cache.Read(c);
        cache.Read(d);
        Assert.Equal((4, 4), (cache.Hits, cache.Misses));
        cache.Read(b); // miss again, evicts a (least recently used after a, c, d)
        cache.Read(a);
        Assert.Equal((4, 6), (cache.Hits, cache.Misses));
        Assert.Equal(3L * Side * Side * sizeof(ushort), cache.Bytes);
    }

    [Fact]
    public void Cached_pixels_equal_a_fresh_decode()
    {
        var cache = new SliceImageCache(8);
        foreach (var slice in slices.Concat(slices))
        {
            Assert.Equal(slice.ReadImage(), cache.Read(slice).ToArray());
        }
        Assert.Equal((5, 5), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void A_zero_budget_keeps_nothing()
    {
        var cache = SliceImageCache.None;
        cache.Read(slices[0]);
        cache.Read(slices[0]);
        Assert.Equal((0, 2, 0, 0L), (cache.Hits, cache.Misses, cache.Count, cache.Bytes));
    }

    [Fact]
    public void Concurrent_readers_stay_within_the_budget_and_get_the_right_pixels()
    {
        var cache = new SliceImageCache(1);
        var expected = slices.Select(s => s.ReadImage()).ToArray();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var k = i * 7 % slices.Count;
            Assert.Equal(expected[k], cache.Read(slices[k]).ToArray());
            Assert.True(cache.Bytes <= cache.BudgetBytes);
        });
        Assert.Equal(200, cache.Hits + cache.Misses);
    }

    [Fact]
    public void A_negative_budget_names_the_key()
    {
        Assert.StartsWith("cache_mb -1 must not be negative", Assert.Throws<MedSegException>(() => new SliceImageCache(-1)).Message);
    }
}
