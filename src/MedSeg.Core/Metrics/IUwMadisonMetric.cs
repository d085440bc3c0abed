namespace MedSeg.Core.Metrics;

/// <summary>
/// An accumulating UW-Madison metric (update per case-day, compute, reset), so evaluation code can hold either
/// <see cref="UwMadisonScore"/> or <see cref="UwMadisonDirectedScore"/>. Implementations are thread-safe:
/// case-days may be updated from several threads at once.
/// </summary>
public interface IUwMadisonMetric
{
    /// <summary>Class names, in the order of the masks passed to <see cref="Update"/>.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Adds one case-day.</summary>
    /// <param name="caseDayId">Identifier such as <c>case123_day20</c>; each case-day may be added once.</param>
    /// <param name="depth">Number of slices.</param>
    /// <param name="height">Slice height in pixels.</param>
    /// <param name="width">Slice width in pixels.</param>
    /// <param name="pred">Per class, the predicted mask of the whole case-day: depth × height × width, row-major,
    /// slices in slice order; nonzero = foreground.</param>
    /// <param name="truth">Per class, the true mask, same layout.</param>
    /// <exception cref="MedSegException">Counts or sizes do not match, or the case-day was already added.</exception>
    void Update(string caseDayId, int depth, int height, int width, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth);

    /// <summary>The figures of all case-days added since construction or the last <see cref="Reset"/>.</summary>
    UwMadisonResult Compute();

    /// <summary>Forgets all case-days.</summary>
    void Reset();
}
