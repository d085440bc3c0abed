using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Data;

public sealed class SliceBatchLoaderTests(SynthSlices synth) : IClassFixture<SynthSlices>
{
    private static readonly AugmentationPipeline Augment = AugmentationPipeline.Parse(
        """[{"name":"flip","axes":["h"]},{"name":"shift_scale_rotate","p":0.7},{"name":"brightness_contrast"}]""");

    private SliceTensors Tensors(int cacheMb = 0) =>
        new(3, 2, 32, 32, new SliceReader(IntensityNormalisation.Parse("percentile:1:99"), RoiCrop.Parse("slice:0.1"), new SliceImageCache(cacheMb)));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    public void Batches_equal_the_synchronous_path_whatever_the_threads(int threads, int prefetch)
    {
        var plan = EpochPlan.Of(synth.All.Count, 3, 6, seed: 11, epoch: 2);
        var synchronous = Tensors();
        using var loader = SliceBatchLoader.Start(Tensors(cacheMb: 16), synth.All, 3, Augment, 11, plan, new LoaderOptions(threads, prefetch));
        Assert.Equal(plan.Count, loader.Count);
        foreach (var planned in plan)
        {
            using var scope = NewDisposeScope();
            var slices = planned.Samples.Select(i => synth.All[i]).ToArray();
            var expected = synchronous.ToBatch(synchronous.Samples(slices, 3, Augment, 11, planned.Stream, parallel: true));
            var actual = loader.Next();
            Assert.Equal(expected.Inputs.data<float>().ToArray(), actual.Inputs.data<float>().ToArray());
            Assert.Equal(expected.Targets.data<float>().ToArray(), actual.Targets.data<float>().ToArray());
        }
        Assert.Throws<InvalidOperationException>(() => loader.Next());
    }

    [Fact]
    public void A_worker_exception_reaches_the_consumer_with_its_message()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"medseg-broken-{Guid.NewGuid():N}");
        try
        {
            CopyFolder(synth.Root, copy);
            var data = UwMadisonDataset.Load(copy);
            var broken = data.CaseDays[1].Slices[4];
            File.WriteAllBytes(broken.ImagePath, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
            var expected = Assert.Throws<MedSegException>(() => broken.ReadImage()).Message;
            var refs = data.CaseDays.SelectMany(cd => Enumerable.Range(0, cd.Slices.Count).Select(i => new SliceRef(cd, i))).ToArray();
            var plan = new[] { new BatchPlan([0, 1], 0), new BatchPlan([14], 2), new BatchPlan([2, 3], 3) };
            using var loader = SliceBatchLoader.Start(new SliceTensors(1, 1, 32, 32), refs, 3, AugmentationPipeline.Empty, 0, plan, new LoaderOptions(2, 2));
            using (NewDisposeScope())
            {
                loader.Next();
            }
            var error = Assert.Throws<MedSegException>(() => loader.Next());
            Assert.Equal(expected, error.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Workers_build_at_most_the_prefetch_ahead_and_stop_on_dispose()
    {
        var tensors = new SliceTensors(1, 1, 32, 32, new SliceReader(IntensityNormalisation.Default, RoiCrop.None, new SliceImageCache(16)));
        var plan = EpochPlan.Of(synth.All.Count, 2, 10, seed: 1, epoch: 1);
        var loader = SliceBatchLoader.Start(tensors, synth.All, 3, AugmentationPipeline.Empty, 1, plan, new LoaderOptions(Threads: 2, Prefetch: 1));
        await Task.Delay(300);
        Assert.True(tensors.Reader.Cache.Misses <= 2, $"{tensors.Reader.Cache.Misses} slices decoded with one batch of 2 allowed ahead");
        using (NewDisposeScope())
        {
            loader.Next();
        }
        var dispose = Task.Run(loader.Dispose);
        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.True(tensors.Reader.Cache.Misses <= 6, $"{tensors.Reader.Cache.Misses} slices decoded with 2 batches taken or ahead");
        Assert.Throws<ObjectDisposedException>(() => loader.Next());
    }

    [Fact]
    public void Without_threads_the_loader_builds_each_batch_when_asked()
    {
        var plan = EpochPlan.Of(synth.All.Count, 4, 2, seed: 5, epoch: 1);
        var tensors = Tensors();
        using var loader = SliceBatchLoader.Start(tensors, synth.All, 3, Augment, 5, plan, LoaderOptions.Synchronous);
        using var scope = NewDisposeScope();
        var batch = loader.Next();
        Assert.Equal([4L, 3, 32, 32], batch.Inputs.shape);
        Assert.Equal([4L, 3, 32, 32], batch.Targets.shape);
        Assert.Null(batch.Ignore);
    }

    [Theory]
    [InlineData(-1, 1, "loader_threads -1")]
    [InlineData(1, 0, "prefetch 0")]
    public void Invalid_options_name_the_key(int threads, int prefetch, string key)
    {
        var error = Assert.Throws<MedSegException>(() => new LoaderOptions(threads, prefetch).Validate());
        Assert.StartsWith(key, error.Message);
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
