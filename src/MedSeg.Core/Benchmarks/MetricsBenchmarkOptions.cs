namespace MedSeg.Core.Benchmarks;

/// <summary>What <see cref="MetricsBenchmark"/> measures.</summary>
/// <param name="Depth">Slices per volume (HD95 pairs) and per synthetic case-day.</param>
/// <param name="Height">Slice height in pixels.</param>
/// <param name="Width">Slice width in pixels.</param>
/// <param name="Repeats">Timed HD95 runs per pair (after one warm-up); the median is reported.</param>
/// <param name="Slices">Slices of the synthetic submission (the competition's training set has 38,496).</param>
/// <param name="Threads">Threads for the submission evaluation (the HD95 pairs always run on one).</param>
/// <param name="BaselineCaseDays">Case-days scored by both the naive baseline and MedSeg for the comparison.</param>
/// <param name="Seed">Seed of the synthetic organs.</param>
public sealed record MetricsBenchmarkOptions(
    int Depth = 144,
    int Height = 266,
    int Width = 266,
    int Repeats = 7,
    int Slices = 38496,
    int Threads = 2,
    int BaselineCaseDays = 4,
    int Seed = 1)
{
    /// <summary>Throws when a figure is out of range.</summary>
    /// <exception cref="MedSegException">Names the option at fault.</exception>
    public void Validate()
    {
        foreach ((string option, int value, int minimum) in new[]
        {
            ("--depth", Depth, 3), ("--height", Height, 8), ("--width", Width, 8), ("--repeats", Repeats, 1),
            ("--slices", Slices, 1), ("--threads", Threads, 1), ("--baseline-case-days", BaselineCaseDays, 1),
        })
        {
            if (value < minimum)
            {
                throw new MedSegException($"{option} {value} is too small; use {minimum} or more.");
            }
        }
        if ((long)Depth * Height * Width > Array.MaxLength)
        {
            throw new MedSegException($"--depth × --height × --width = {(long)Depth * Height * Width} voxels is more than one mask can hold ({Array.MaxLength}); use a smaller volume.");
        }
    }
}
