namespace MedSeg.Core.Viewer;

/// <summary>What <c>medseg view</c> puts on the page.</summary>
/// <param name="MaxBytes">The page's size cap: slices are shrunk by whole factors (up to <see cref="MaxFactor"/>) until the page fits.</param>
/// <param name="Cases">The case ids to show, or null for every case.</param>
public sealed record ViewerOptions(long MaxBytes = ViewerOptions.DefaultMaxBytes, IReadOnlyList<string>? Cases = null)
{
    /// <summary>The default size cap: 64 MiB, which a browser opens in a few seconds.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    /// <summary>The largest shrink factor tried before giving up on the size cap.</summary>
    public const int MaxFactor = 16;
}
