namespace MedSeg.Core.Metrics;

/// <summary>
/// The shared shell of the UW-Madison scores: case-days accumulate in a <see cref="UwMadisonAccumulator"/>, and each
/// score only says how one case-day's distances are measured.
/// </summary>
/// <remarks>Thread-safe: case-days may be added from several threads at once.</remarks>
public abstract class UwMadisonMetric : IUwMadisonMetric
{
    private readonly UwMadisonAccumulator accumulator;

    /// <exception cref="MedSegException">No classes, or a name repeats.</exception>
    private protected UwMadisonMetric(IReadOnlyList<string> classes, Func<CaseDayMasks, CaseDayDistances> measure) =>
        accumulator = new UwMadisonAccumulator(classes, measure);

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => accumulator.Classes;

    /// <summary>
    /// The score of an all-empty prediction, worked out rather than measured (it is the floor any model must beat):
    /// under both presets every (slice, class) pair with a true mask has Dice 0 and every distance with a true
    /// mask has one empty side, so HD 1, while both-empty pairs are skipped. The score is thus 0.4·0 + 0.6·(1 − 1)
    /// = 0 when the truth has any foreground, and undefined (NaN) when it has none.
    /// </summary>
    public static double EmptyPredictionScore(bool truthHasForeground) => truthHasForeground ? 0 : double.NaN;

    /// <inheritdoc />
    public void Update(string caseDayId, int depth, int height, int width, IReadOnlyList<byte[]> pred, IReadOnlyList<byte[]> truth) =>
        accumulator.Update(caseDayId, depth, height, width, pred, truth);

    /// <inheritdoc />
    public UwMadisonResult Compute() => accumulator.Compute();

    /// <inheritdoc />
    public void Reset() => accumulator.Reset();
}
