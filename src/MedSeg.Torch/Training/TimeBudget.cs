using System.Diagnostics;

namespace MedSeg.Torch.Training;

/// <summary>
/// <c>--max-minutes</c> as the trainer spends it: a clock started with the session, and the time that closing an
/// epoch takes (validation, weights, checkpoint and log; the longest so far) kept free, so that a run the limit stops
/// still validates and saves its last epoch within it. Until a validated epoch has been closed, only what closing
/// has cost so far is kept (a first validation's cost is unknown).
/// </summary>
public sealed class TimeBudget(double maxMinutes)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Seconds kept for closing the last epoch: the longest closing measured.</summary>
    public double ClosingSeconds { get; private set; }

    /// <summary>
    /// True when one more step of <paramref name="stepSeconds"/> and then closing the epoch would end after the limit
    /// (never without a limit).
    /// </summary>
    public bool StepWouldOverrun(double stepSeconds) =>
        maxMinutes > 0 && clock.Elapsed.TotalSeconds + stepSeconds + ClosingSeconds > maxMinutes * 60;

    /// <summary>Records that closing an epoch took <paramref name="seconds"/>.</summary>
    public void Closed(double seconds) => ClosingSeconds = Math.Max(ClosingSeconds, seconds);

    /// <summary>
    /// How many epochs the whole run should have so that it ends within the limit: <paramref name="done"/> so far,
    /// plus those of <paramref name="epochSeconds"/> (training and closing one epoch) that fit the time left after
    /// keeping the closing time free; with <paramref name="validates"/> a tenth of the time left is also kept for the
    /// validations to come. At least <paramref name="done"/>; null without a limit.
    /// </summary>
    public int? EpochsThatFit(int done, double epochSeconds, bool validates)
    {
        if (maxMinutes <= 0 || epochSeconds <= 0)
        {
            return null;
        }
        var left = (maxMinutes * 60) - clock.Elapsed.TotalSeconds - ClosingSeconds;
        var more = Math.Floor(Math.Max(0, left) * (validates ? 0.9 : 1) / epochSeconds);
        return done + (int)Math.Min(more, int.MaxValue - done);
    }
}
