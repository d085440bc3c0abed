using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// A random transform of an <see cref="AugmentationSample"/>. Each call draws from the generator it is given, so a
/// sample augmented with <c>new DeterministicRandom(seed, stream)</c> comes out the same on every run and thread.
/// Instances hold no mutable state and may be shared by loader threads, each with its own generator.
/// </summary>
public abstract class Augmentation
{
    protected Augmentation(double probability)
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability lies in [0, 1].");
        }
        Probability = probability;
    }

    /// <summary>How often the transform is applied.</summary>
    public double Probability { get; }

    /// <summary>
    /// With probability <see cref="Probability"/> the transformed sample, else <paramref name="sample"/> itself.
    /// The transform may overwrite <paramref name="sample"/>'s arrays: pass a sample you own
    /// (<see cref="AugmentationPipeline"/> copies its input once).
    /// </summary>
    public AugmentationSample Apply(AugmentationSample sample, DeterministicRandom random) =>
        random.NextDouble() < Probability ? Transform(sample, random) : sample;

    /// <summary>The transform itself, drawing its parameters from <paramref name="random"/>.</summary>
    protected abstract AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random);

    /// <summary>Throws when <paramref name="size"/> does not have one entry per spatial axis of <paramref name="sample"/>.</summary>
    protected static void CheckAxes(string transform, IReadOnlyList<int> size, AugmentationSample sample)
    {
        if (size.Count != sample.Shape.Dims)
        {
            throw new MedSegException(
                $"augmentation '{transform}': size {string.Join("x", size)} has {size.Count} axes but the sample is {sample.Shape.Dims}D ({sample.Shape}).");
        }
    }
}
