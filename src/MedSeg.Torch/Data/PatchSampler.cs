using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Training patches of case-day volumes as nnU-Net samples them: each patch takes a case-day drawn uniformly and
/// a box of <see cref="Patch"/> size inside it (<see cref="RandomCrop"/>); every third patch by default (nnU-Net's one third
/// of a batch; <see cref="ForegroundDraws"/>) is centred on a foreground voxel of a class drawn among those present, the others lie uniformly. A
/// volume smaller than the patch is zero-padded around its centre. Each patch is then augmented. Everything is
/// drawn from (seed, stream) — the trainer derives the stream from (epoch, sample) — so a batch is the same whichever thread builds it.
/// </summary>
public sealed class PatchSampler
{
    private readonly IReadOnlyList<UwCaseDay> caseDays;
    private readonly int classes;
    private readonly AugmentationPipeline pipeline;
    private readonly CaseDayVolumeCache cache;
    private readonly RandomCrop uniform;
    private readonly RandomCrop foreground;
    private readonly int foregroundEvery;

    /// <param name="sizeStep">What the network needs every patch side to be a multiple of: a side of at most this is
    /// accepted even beyond every volume (a volume thinner than the network's smallest input is padded).</param>
    /// <exception cref="MedSegException">The patch is larger than every case-day along some axis.</exception>
    public PatchSampler(IReadOnlyList<UwCaseDay> caseDays, int classes, PatchSize patch, AugmentationPipeline pipeline, IntensityNormalisation normalisation,
        int cacheCapacity = 8, int sizeStep = 1, int foregroundEvery = ForegroundDraws.DefaultEvery)
    {
        this.foregroundEvery = foregroundEvery;
        CheckFits(caseDays, patch, sizeStep);
        this.caseDays = caseDays;
        this.classes = classes;
        this.pipeline = pipeline;
        Patch = patch;
        cache = new CaseDayVolumeCache(classes, normalisation, cacheCapacity);
        uniform = new RandomCrop(patch.Sizes, foregroundFraction: 0);
        foreground = new RandomCrop(patch.Sizes, foregroundFraction: 1);
    }

    public PatchSize Patch { get; }

    /// <summary>
    /// Throws unless some case-day is at least as large as <paramref name="patch"/> along every axis where the patch is
    /// longer than <paramref name="sizeStep"/> (smaller ones are padded; a patch larger than all of them would be mostly
    /// padding, but one network size step is the least a network takes).
    /// </summary>
    public static void CheckFits(IReadOnlyList<UwCaseDay> caseDays, PatchSize patch, int sizeStep = 1)
    {
        var shapes = caseDays.Select(CaseDayVolume.Shape).ToArray();
        var largest = new PatchSize(shapes.Max(s => s.Depth), shapes.Max(s => s.Height), shapes.Max(s => s.Width));
        if (patch.Sizes.Zip(largest.Sizes).Any(p => p.First > p.Second && p.First > sizeStep))
        {
            throw new MedSegException(
                $"--patch {patch} is larger than every training volume (largest per axis: {largest} slices x rows x columns); choose a patch of at most {largest}.");
        }
    }

    /// <summary>
    /// A batch of patches: patch i is number <paramref name="positions"/>[i] of its epoch (every third number by default is forced onto
    /// foreground) and draws from stream <paramref name="stream"/> + i of <paramref name="seed"/>. Inputs N×Ch×D×H×W (Ch image channels) and
    /// targets N×C×D×H×W (float32 0/1, on the CPU).
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Batch(int seed, long stream, IReadOnlyList<int> positions) =>
        ToTensors(Samples(seed, stream, positions, parallel: true));

    /// <summary>
    /// The augmented patches of <see cref="Batch"/> as plain arrays (no libtorch, so a loader thread can build them);
    /// <paramref name="parallel"/> spreads them over the thread pool.
    /// </summary>
    public AugmentationSample[] Samples(int seed, long stream, IReadOnlyList<int> positions, bool parallel)
    {
        var samples = new AugmentationSample[positions.Count];
        if (parallel)
        {
            Parallel.For(0, samples.Length, i => samples[i] = Sample(seed, stream + i, positions[i]));
        }
        else
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = Sample(seed, stream + i, positions[i]);
            }
        }
        return samples;
    }

    /// <summary>Patches of one shape stacked into inputs N×Ch×D×H×W and targets N×C×D×H×W.</summary>
    public (Tensor Inputs, Tensor Targets) ToTensors(IReadOnlyList<AugmentationSample> samples)
    {
        var count = samples.Count;
        var shape = samples[0].Shape;
        var channels = samples[0].ImageChannels;
        var images = new float[count * channels * shape.Voxels];
        var masks = new float[count * classes * shape.Voxels];
        for (var i = 0; i < count; i++)
        {
            samples[i].Image.CopyTo(images, i * channels * shape.Voxels);
            samples[i].Mask.CopyTo(masks, i * classes * shape.Voxels);
        }
        return (tensor(images, [count, channels, shape.Depth, shape.Height, shape.Width]),
            tensor(masks, [count, classes, shape.Depth, shape.Height, shape.Width]));
    }

    /// <summary>Patch number <paramref name="position"/> of an epoch, drawn from stream <paramref name="stream"/> of <paramref name="seed"/>, augmented.</summary>
    public AugmentationSample Sample(int seed, long stream, long position)
    {
        var random = new DeterministicRandom(seed, stream);
        var volume = cache.Get(caseDays[random.NextInt(caseDays.Count)]);
        var crop = (ForegroundDraws.Forced(position, foregroundEvery) ? foreground : uniform).Apply(volume, random);
        return pipeline.Transforms.Count == 0 ? crop : pipeline.Apply(crop, random);
    }
}
