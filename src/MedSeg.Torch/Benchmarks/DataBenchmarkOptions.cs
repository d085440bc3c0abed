using MedSeg.Core;

namespace MedSeg.Torch.Benchmarks;

/// <summary>What <see cref="DataBenchmark"/> measures.</summary>
/// <param name="Cases">Synthetic cases (one day each).</param>
/// <param name="Slices">Slices per case-day.</param>
/// <param name="Height">Slice height in pixels (the competition's most common size is 266×266).</param>
/// <param name="Width">Slice width in pixels.</param>
/// <param name="Batch">Slices per batch.</param>
/// <param name="InSlices">Slices per 2.5D input stack.</param>
/// <param name="SliceStride">Distance between stacked slices.</param>
/// <param name="NetworkSize">Side of the square network input the slices are resized to.</param>
/// <param name="CacheMb">Slice cache budget of the loader runs.</param>
/// <param name="TrainSteps">Training steps of a U-Net/ResNet-34 fed by the loader, for the loader's share of a step (0 = skip).</param>
/// <param name="Augment">The augmentation pipeline of the "default" runs (JSON).</param>
/// <param name="Seed">Seed of the synthetic data and the augmentation.</param>
public sealed record DataBenchmarkOptions(
    int Cases = 2,
    int Slices = 64,
    int Height = 266,
    int Width = 266,
    int Batch = 16,
    int InSlices = 3,
    int SliceStride = 2,
    int NetworkSize = 256,
    int CacheMb = 512,
    int TrainSteps = 3,
    string Augment = DataBenchmarkOptions.DefaultAugment,
    int Seed = 1)
{
    /// <summary>Flip, shift-scale-rotate and brightness-contrast: the usual UW-Madison recipe.</summary>
    public const string DefaultAugment =
        """[{"name":"flip","axes":["h"]},{"name":"shift_scale_rotate","p":0.5},{"name":"brightness_contrast"}]""";

    /// <summary>Throws when a figure is out of range.</summary>
    /// <exception cref="MedSegException">Names the option at fault.</exception>
    public void Validate()
    {
        foreach (var (option, value, minimum) in new[]
        {
            ("--cases", Cases, 1), ("--slices", Slices, 1), ("--batch", Batch, 1), ("--in-slices", InSlices, 1),
            ("--slice-stride", SliceStride, 1), ("--network-size", NetworkSize, 32), ("--cache-mb", CacheMb, 0), ("--train-steps", TrainSteps, 0),
        })
        {
            if (value < minimum)
            {
                throw new MedSegException($"{option} {value} is too small; use {minimum} or more.");
            }
        }
        if (Cases * Slices < Batch)
        {
            throw new MedSegException($"--batch {Batch} is more than the {Cases * Slices} slices of the dataset; raise --cases or --slices.");
        }
    }
}
