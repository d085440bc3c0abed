using MedSeg.Core.Inference;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Torch.Data;

/// <summary>
/// The most recently used case-day volumes (<see cref="CaseDayVolume.Load"/>), at most <see cref="Capacity"/> of them:
/// decoding a case-day's PNGs and RLEs for every patch would dominate a training step, and keeping every volume of a
/// real dataset (about 160 MB each: a 144×266×266 float image and three float masks) would not fit in memory. With many
/// more case-days than <see cref="Capacity"/>, most patches still decode their case-day: fine for small data, slow for
/// the full competition set. Safe for concurrent loader threads.
/// </summary>
public sealed class CaseDayVolumeCache(int classes, IntensityNormalisation normalisation, int capacity)
{
    private readonly LinkedList<(UwCaseDay CaseDay, AugmentationSample Volume)> recent = new();
    private readonly Lock gate = new();

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>The volume of <paramref name="caseDay"/>, loaded unless cached. Callers must not modify it.</summary>
    public AugmentationSample Get(UwCaseDay caseDay)
    {
        lock (gate)
        {
            for (var node = recent.First; node is not null; node = node.Next)
            {
                if (ReferenceEquals(node.Value.CaseDay, caseDay))
                {
                    recent.Remove(node);
                    recent.AddFirst(node);
                    return node.Value.Volume;
                }
            }
        }
        var volume = CaseDayVolume.Load(caseDay, classes, normalisation);
        lock (gate)
        {
            recent.AddFirst((caseDay, volume));
            while (recent.Count > Capacity)
            {
                recent.RemoveLast();
            }
        }
        return volume;
    }
}
