using MedSeg.Core.Data;

namespace MedSeg.Torch.Data;

/// <summary>
/// nnU-Net's foreground oversampling for slice training (2D / 2.5D), as <see cref="PatchSampler"/> does it for 3D
/// patches: every third draw of an epoch by default (<see cref="ForegroundDraws"/>, by its augmentation stream) that
/// landed on a slice without any labelled class is swapped for a slice that holds one, picked from a stream of its
/// own. One labelled volume of a brain or an abdomen is mostly slices without the structures (68 of 96 on the
/// synthetic brain), from which the Dice term learns little. Slices are swapped only when the training set has both
/// kinds. The default turns it on in 2.5D and off in 2D (<see cref="Training.TrainConfig.OversampleForeground"/>).
/// </summary>
public sealed class SliceOversampling
{
    private readonly bool[] holdsForeground;
    private readonly int[] foreground;
    private readonly int seed;
    private readonly int every;

    /// <summary>
    /// Oversampling over <paramref name="slices"/> (the task's samples, by position) for the run's <paramref name="seed"/>,
    /// one draw in <paramref name="every"/> forced (0: none).
    /// </summary>
    public SliceOversampling(IReadOnlyList<SliceRef> slices, int seed, int every = ForegroundDraws.DefaultEvery)
    {
        this.every = every;
        holdsForeground = [.. slices.Select(HoldsForeground)];
        foreground = [.. Enumerable.Range(0, slices.Count).Where(i => holdsForeground[i])];
        this.seed = seed;
    }

    /// <summary>How many of the samples hold a labelled class.</summary>
    public int ForegroundSlices => foreground.Length;

    /// <summary>True when the slice's masks hold any class (its RLEs are not all empty).</summary>
    public static bool HoldsForeground(SliceRef slice) => slice.CaseDay.Slices[slice.Index].Rles.Any(rle => rle.Length > 0);

    /// <summary>
    /// <paramref name="samples"/> (positions drawn from stream <paramref name="stream"/> + their index) with each
    /// forced draw that holds no foreground replaced by a foreground slice.
    /// </summary>
    public IReadOnlyList<int> Apply(IReadOnlyList<int> samples, long stream)
    {
        if (every == 0 || foreground.Length == 0 || foreground.Length == holdsForeground.Length)
        {
            return samples;
        }
        var drawn = samples.ToArray();
        for (var i = 0; i < drawn.Length; i++)
        {
            var position = stream + i;
            if (ForegroundDraws.Forced(position, every) && !holdsForeground[drawn[i]])
            {
                // A negative stream: never one that augmentation draws from.
                drawn[i] = foreground[new DeterministicRandom(seed, -1 - position).NextInt(foreground.Length)];
            }
        }
        return drawn;
    }

    /// <summary>The epoch's batches, each one's samples oversampled as <see cref="Apply(IReadOnlyList{int}, long)"/> does.</summary>
    public IReadOnlyList<BatchPlan> Apply(IReadOnlyList<BatchPlan> plan) => [.. plan.Select(b => b with { Samples = Apply(b.Samples, b.Stream) })];
}
