using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Data;

namespace MedSeg.Tests.Torch.Data;

/// <summary>A small synthetic UW-Madison folder (2 cases, 1 day, 10 slices of 48×64) written once per test class.</summary>
public sealed class SynthSlices : IDisposable
{
    public SynthSlices()
    {
        Root = Path.Combine(Path.GetTempPath(), $"medseg-slices-{Guid.NewGuid():N}");
        UwMadisonSynth.Write(Root, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 10, Height: 48, Width: 64, Seed: 3));
        Data = UwMadisonDataset.Load(Root);
        All = Data.CaseDays.SelectMany(cd => Enumerable.Range(0, cd.Slices.Count).Select(i => new SliceRef(cd, i))).ToArray();
    }

    public string Root { get; }

    public UwMadisonDataset Data { get; }

    /// <summary>Every slice of the dataset, case-day by case-day.</summary>
    public IReadOnlyList<SliceRef> All { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
