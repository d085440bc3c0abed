using System.Collections.Concurrent;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// The <see cref="RoiCrop"/> box of each case-day, computed once on first use (reading its slices through the
/// shared image cache) and then remembered. Thread-safe: concurrent first uses of a case-day compute it once.
/// </summary>
public sealed class CaseDayCropBoxes
{
    // Keyed by the case-day object, not its id: two datasets may both have a case1_day0.
    private readonly ConcurrentDictionary<UwCaseDay, Lazy<CropBox>> boxes = new();
    private readonly SliceImageCache images;

    public CaseDayCropBoxes(RoiCrop crop, SliceImageCache images)
    {
        Crop = crop;
        this.images = images;
    }

    public RoiCrop Crop { get; }

    /// <summary>The box of <paramref name="caseDay"/> (the full slice when the crop is off).</summary>
    public CropBox Of(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        if (!Crop.Enabled)
        {
            return CropBox.Full(first.Height, first.Width);
        }
        return boxes.GetOrAdd(caseDay, _ => new Lazy<CropBox>(
            () => Crop.Box(caseDay.Slices.Select(images.Read), first.Height, first.Width))).Value;
    }
}
