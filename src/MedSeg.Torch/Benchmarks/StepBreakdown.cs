using System.Diagnostics;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// Milliseconds per part of a timed step (forward, loss, backward, optimizer, …), one list of samples per part, in the
/// order the parts were first timed. CPU kernels run synchronously, so the clock read after each part ends it
/// (on CUDA the caller synchronises first). <see cref="Medians"/> gives the <c>breakdown</c> object of a benchmark line.
/// </summary>
public sealed class StepBreakdown
{
    private readonly Dictionary<string, List<double>> samples = [];
    private readonly Stopwatch clock = new();

    /// <summary>Starts the clock for the first part of a step.</summary>
    public void Start() => clock.Restart();

    /// <summary>Ends <paramref name="part"/> (recorded only when <paramref name="record"/>) and starts the next.</summary>
    public void Lap(string part, bool record = true)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        if (!record)
        {
            return;
        }
        if (!samples.TryGetValue(part, out var list))
        {
            samples[part] = list = [];
        }
        list.Add(ms);
    }

    /// <summary>The median of each part's samples, rounded to 0.1 ms.</summary>
    public Dictionary<string, double> Medians() => samples.ToDictionary(p => p.Key, p => Math.Round(Median(p.Value), 1));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
