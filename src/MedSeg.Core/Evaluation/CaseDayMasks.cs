using MedSeg.Core.Data;

namespace MedSeg.Core.Evaluation;

/// <summary>Ground-truth masks of a whole case-day, in the layout the metrics take.</summary>
public static class CaseDayMasks
{
    /// <summary>Per-class 0/1 masks, each D×H×W row-major in slice order, decoded from the dataset's RLE.</summary>
    public static byte[][] Truth(UwCaseDay caseDay, int classes)
    {
        var first = caseDay.Slices[0];
        var masks = new byte[classes][];
        for (var c = 0; c < classes; c++)
        {
            masks[c] = new byte[caseDay.Slices.Count * first.Height * first.Width];
        }
        DecodeTruth(caseDay, masks);
        return masks;
    }

    /// <summary>Decodes the case-day's true masks into <paramref name="masks"/> (one D×H×W array per class), overwriting every voxel.</summary>
    public static void DecodeTruth(UwCaseDay caseDay, byte[][] masks)
    {
        var first = caseDay.Slices[0];
        var plane = first.Height * first.Width;
        for (var c = 0; c < masks.Length; c++)
        {
            for (var s = 0; s < caseDay.Slices.Count; s++)
            {
                caseDay.Slices[s].DecodeMask(c, masks[c].AsSpan(s * plane, plane));
            }
        }
    }
}
