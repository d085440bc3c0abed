using System.Globalization;
using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Which case-days a synthetic dataset holds: case numbers with gaps and day numbers such as day0, day13, day15,
/// as in the real data, and a pixel spacing per case (mostly 1.50 mm, sometimes 1.63 mm).
/// </summary>
internal static class SynthPlan
{
    /// <summary>One case-day to generate; <see cref="DayIndex"/> counts the days of the case from 0.</summary>
    internal readonly record struct Scan(int Case, int Day, int DayIndex, double Spacing)
    {
        /// <summary>The case-day id, <c>caseN_dayM</c>.</summary>
        public string Id => string.Create(CultureInfo.InvariantCulture, $"case{Case}_day{Day}");
    }

    public static IReadOnlyList<Scan> Create(UwMadisonSynthOptions options)
    {
        var rng = new DeterministicRandom(options.Seed, SynthStreams.For(SynthStreams.Plan));
        var scans = new List<Scan>();
        int caseNumber = 0;
        for (int c = 0; c < options.Cases; c++)
        {
            caseNumber += 1 + rng.NextInt(c == 0 ? 10 : 12);
            double spacing = rng.NextDouble() < 0.75 ? 1.5 : 1.63;
            int days = 1 + rng.NextInt(options.MaxDays);
            int day = rng.NextInt(2) == 0 ? 0 : 1 + rng.NextInt(15);
            for (int d = 0; d < days; d++)
            {
                scans.Add(new Scan(caseNumber, day, d, spacing));
                day += 1 + rng.NextInt(8);
            }
        }
        return scans;
    }
}
