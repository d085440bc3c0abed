using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Fills <see cref="MinHoles"/>…<see cref="MaxHoles"/> boxes of the image (every channel alike) with
/// <see cref="Fill"/> (albumentations' CoarseDropout). Each box spans a fraction of every spatial axis drawn from
/// <see cref="Size"/> (at least one pixel; in a volume the depth too) at a uniform position. The mask is untouched.
/// </summary>
public sealed class CoarseDropout : Augmentation
{
    public CoarseDropout(double probability, int minHoles, int maxHoles, ValueRange size, float fill) : base(probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minHoles);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHoles, minHoles);
        if (!(size.Low >= 0) || !(size.High <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "hole sizes are fractions in [0, 1].");
        }
        MinHoles = minHoles;
        MaxHoles = maxHoles;
        Size = size;
        Fill = fill;
    }

    public int MinHoles { get; }

    public int MaxHoles { get; }

    public ValueRange Size { get; }

    public float Fill { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var shape = sample.Shape;
        var holes = MinHoles + random.NextInt(MaxHoles - MinHoles + 1);
        for (var hole = 0; hole < holes; hole++)
        {
            var (z0, z1) = shape.Dims == 3 ? Span(shape.Depth, random) : (0, 1);
            var (y0, y1) = Span(shape.Height, random);
            var (x0, x1) = Span(shape.Width, random);
            for (var c = 0; c < sample.ImageChannels; c++)
            {
                for (var z = z0; z < z1; z++)
                {
                    for (var y = y0; y < y1; y++)
                    {
                        var row = ((c * shape.Depth + z) * shape.Height + y) * shape.Width;
                        sample.Image.AsSpan(row + x0, x1 - x0).Fill(Fill);
                    }
                }
            }
        }
        return sample;
    }

    private (int Start, int End) Span(int length, DeterministicRandom random)
    {
        var size = Math.Clamp((int)Math.Round(Size.Draw(random) * length), 1, length);
        var start = random.NextInt(length - size + 1);
        return (start, start + size);
    }
}
