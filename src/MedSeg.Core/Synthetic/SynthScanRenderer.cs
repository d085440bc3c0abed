using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Renders the axial slices of one synthetic case-day, whatever layout they are written in: the scan's anatomy,
/// the slice renderer and the scan's own noise stream. Slices must be rendered in order 0, 1, ... (the noise
/// stream advances with each), which makes the pixels identical in every layout.
/// </summary>
internal sealed class SynthScanRenderer
{
    private readonly SynthAnatomy _anatomy;
    private readonly SliceRenderer _renderer;
    private readonly DeterministicRandom _noise;
    private int _next;

    public SynthScanRenderer(UwMadisonSynthOptions options, SynthPlan.Scan scan)
    {
        _anatomy = SynthAnatomy.Create(options.Seed, scan.Case, scan.DayIndex, options.Height, options.Width, options.Slices);
        _renderer = new SliceRenderer(options.Height, options.Width, new DeterministicRandom(options.Seed, SynthStreams.For(SynthStreams.GaussianTable)));
        _noise = new DeterministicRandom(options.Seed, SynthStreams.For(SynthStreams.Noise, scan.Case, scan.DayIndex));
    }

    /// <summary>
    /// Renders the next slice into <paramref name="image"/> (H×W, 16-bit) and returns its label map (H×W: 0 = none,
    /// 1 stomach, 2 small bowel, 3 large bowel; where organs overlap the one painted last wins: stomach, then small
    /// bowel, then large bowel), valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> RenderNext(Span<ushort> image) => _renderer.Render(_anatomy, _next++, image, _noise);

    /// <summary>
    /// Runs <paramref name="body"/> for every scan of <paramref name="plan"/> on all cores (scans are independent:
    /// each has its own random streams) and returns the results in plan order; <paramref name="progress"/> gets
    /// <paramref name="describe"/>'s line for each finished scan with the count done.
    /// </summary>
    public static TResult[] ForEachScan<TResult>(
        IReadOnlyList<SynthPlan.Scan> plan, Func<SynthPlan.Scan, TResult> body, Func<SynthPlan.Scan, string> describe, Action<string>? progress)
    {
        var results = new TResult[plan.Count];
        var progressLock = new object();
        int done = 0;
        Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            results[k] = body(plan[k]);
            lock (progressLock)
            {
                done++;
                progress?.Invoke($"{describe(plan[k])} ({done}/{plan.Count} case-days)");
            }
        });
        return results;
    }
}
