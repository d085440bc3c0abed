namespace MedSeg.Core.Inference;

/// <summary>
/// Where sliding windows start along one axis, as MONAI's <c>_get_scan_interval</c> and <c>dense_patch_slices</c>:
/// the step is ⌊window·(1 − overlap)⌋ (at least 1; a window as long as the axis takes one step), windows are laid
/// from 0 until one reaches the end, and the last is moved back so that it ends exactly at the end of the axis.
/// </summary>
public static class WindowGrid
{
    /// <summary>Start positions of windows of <paramref name="window"/> voxels over an axis of <paramref name="length"/> ≥ window voxels.</summary>
    public static int[] Starts(int length, int window, double overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, window);
        if (length == window)
        {
            return [0];
        }
        var step = Math.Max(1, (int)(window * (1 - overlap)));
        var starts = new List<int>();
        for (var start = 0; ; start += step)
        {
            starts.Add(Math.Min(start, length - window));
            if (start + window >= length)
            {
                return [.. starts];
            }
        }
    }
}
