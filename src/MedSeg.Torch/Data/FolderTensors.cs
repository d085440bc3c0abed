using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Training;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Turns folder-dataset images into network tensors: an image is normalised and laid out channel-major
/// (<see cref="FolderImagePlanes"/>) and resized bilinearly to the network size; its mask of class indices is resized with nearest
/// neighbour. Training samples go through the augmentation pipeline first (image and mask with one draw from
/// (seed, stream + position)), so a batch does not depend on which thread builds it. <see cref="Samples"/> does the
/// work on arrays (loader threads run it); <see cref="ToBatch"/> only copies them into tensors.
/// </summary>
public sealed class FolderTensors
{
    private readonly IntensityNormalisation normalisation;

    /// <param name="channels">Channels every image must have (1 = gray, 3 = RGB).</param>
    public FolderTensors(int channels, int height, int width, IntensityNormalisation normalisation)
    {
        Channels = channels;
        Height = height;
        Width = width;
        this.normalisation = normalisation;
    }

    public int Channels { get; }

    /// <summary>Network input height.</summary>
    public int Height { get; }

    /// <summary>Network input width.</summary>
    public int Width { get; }

    /// <summary>The normalised image as channel-major C×H×W values at its own size (<see cref="FolderImagePlanes"/>).</summary>
    /// <exception cref="MedSegException">The image's channels are not <see cref="Channels"/>; the message names <paramref name="path"/>.</exception>
    public float[] Planes(RasterImage image, string path) => FolderImagePlanes.Of(image, Channels, normalisation, path);

    /// <summary>Network inputs N×C×h×w (float32, CPU) of <paramref name="images"/> (read from <paramref name="paths"/>).</summary>
    public Tensor Inputs(IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(paths);
        var resized = OrderedParallel.Map(Enumerable.Range(0, images.Count).ToArray(), i => PlaneResize.Resize(Planes(images[i], paths[i]), Channels,
            images[i].Height, images[i].Width, Height, Width, InterpolationMode.Bilinear));
        return Concatenated(resized, Channels, ScalarType.Float32);
    }

    /// <summary>
    /// The training samples of <paramref name="items"/> at the network size: image C×h×w and mask 1×h×w of class indices,
    /// augmented with draws from (<paramref name="seed"/>, <paramref name="stream"/> + position); <paramref name="parallel"/>
    /// spreads them over the thread pool (the synchronous path).
    /// </summary>
    public AugmentationSample[] Samples(IReadOnlyList<FolderItem> items, AugmentationPipeline pipeline, int seed, long stream, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(pipeline);
        AugmentationSample Build(int i)
        {
            var (image, mask) = items[i].Read();
            var shape = SpatialShape.Plane(image.Height, image.Width);
            var sample = new AugmentationSample(Planes(image, items[i].ImagePath), Channels, mask!.Select(v => (float)v).ToArray(), 1, shape);
            var augmented = pipeline.Transforms.Count == 0 ? sample : pipeline.Apply(sample, new DeterministicRandom(seed, stream + i));
            var (h, w) = (augmented.Shape.Height, augmented.Shape.Width);
            return new AugmentationSample(PlaneResize.Resize(augmented.Image, Channels, h, w, Height, Width, InterpolationMode.Bilinear), Channels,
                PlaneResize.Resize(augmented.Mask, 1, h, w, Height, Width, InterpolationMode.Nearest), 1, SpatialShape.Plane(Height, Width));
        }
        var positions = Enumerable.Range(0, items.Count).ToArray();
        return parallel ? OrderedParallel.Map(positions, Build) : positions.Select(Build).ToArray();
    }

    /// <summary>The batch of <paramref name="samples"/>: inputs N×C×h×w (float32) and targets N×h×w of class indices (int64), in the caller's dispose scope.</summary>
    public TrainingBatch ToBatch(IReadOnlyList<AugmentationSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var targets = Concatenated(samples.Select(s => s.Mask).ToArray(), 1, ScalarType.Int64);
        return new TrainingBatch(Concatenated(samples.Select(s => s.Image).ToArray(), Channels, ScalarType.Float32), targets.squeeze(1));
    }

    private Tensor Concatenated(IReadOnlyList<float[]> samples, int channels, ScalarType type)
    {
        var size = channels * Height * Width;
        var all = new float[samples.Count * size];
        for (var i = 0; i < samples.Count; i++)
        {
            samples[i].AsSpan().CopyTo(all.AsSpan(i * size, size));
        }
        var values = tensor(all, [samples.Count, channels, Height, Width]);
        return type == ScalarType.Float32 ? values : values.round().to_type(type);
    }
}
