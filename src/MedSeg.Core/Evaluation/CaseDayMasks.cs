using MedSeg.Core.Data;

namespace MedSeg.Core.Evaluation;

/// <summary>Ground-truth masks of a whole case-day, in the layout the metrics take.</summary>
public static class CaseDayMasks
{
    /// <summary>Per-class 0/1 masks, each D×H×W row-major in slice order, decoded from the dataset's RLE.</summary>
    public static byte[][] Truth(UwCaseDay caseDay, int classes)
    {
        var first = caseDay.Slices[0];
        var plane = first.Height * first.Width;
        var masks = new byte[classes][];
        for (var c = 0; c < classes; c++)
        {
            masks[c] = new byte[caseDay.Slices.Count * plane];
            for (var s = 0; s < caseDay.Slices.Count; s++)
            {
                caseDay.Slices[s].DecodeMask(c).CopyTo(masks[c].AsSpan(s * plane, plane));
            }
        }
        return masks;
    }
}
