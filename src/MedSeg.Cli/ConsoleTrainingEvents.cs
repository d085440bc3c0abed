using System.Diagnostics;
using System.Globalization;
using MedSeg.Torch.Training;

namespace MedSeg.Cli;

/// <summary>
/// How training commands show a run's progress: a step bar on stderr with the pace (time per step, time left in the
/// epoch: on a CPU an epoch of a 3D network can take many minutes, and the first step says how many), one line per
/// epoch and per message.
/// </summary>
public static class ConsoleTrainingEvents
{
    /// <summary>Events that draw the step bar and write epoch summaries and messages to <paramref name="lines"/>.</summary>
    public static TrainingEvents Create(TextWriter lines)
    {
        var progress = new ConsoleProgress();
        // The epoch's clock starts when the previous epoch (or the set-up before the first one) has ended.
        var epochClock = Stopwatch.StartNew();
        var stepsSeen = false;
        return new TrainingEvents
        {
            Step = (epoch, total, step, steps, meanLoss) =>
            {
                stepsSeen = true;
                progress.Update((double)step / steps, $"epoch {epoch}/{total} step {step}/{steps} loss {meanLoss:F4}{Pace(epochClock.Elapsed, step, steps)}");
            },
            Epoch = r =>
            {
                progress.Clear();
                var validation = r.Validation switch
                {
                    null => "no validation",
                    FoldSplit.TrainingData => $"score on training data {r.ValScore:F4}  dice {r.ValDice:F4}  hd {r.ValHausdorff:F4}",
                    _ => $"val score {r.ValScore:F4}  dice {r.ValDice:F4}  hd {r.ValHausdorff:F4}",
                };
                var best = r.Best && r.Validation == FoldSplit.HeldOutFold ? "  *best" : "";
                lines.WriteLine($"epoch {r.Epoch,3}  loss {r.TrainLoss:F4}  {validation}  lr {r.Lr:E2}  {r.Seconds:F0}s{best}");
                stepsSeen = false;
                epochClock.Restart();
            },
            Message = m =>
            {
                progress.Clear();
                lines.WriteLine(m);
                if (!stepsSeen)
                {
                    epochClock.Restart(); // a message between epochs (a new fold, a data summary) ends the set-up before the next one
                }
            },
        };
    }

    /// <summary>"  12.5s/step, ~1m15s left in the epoch" after <paramref name="step"/> of <paramref name="steps"/> steps took <paramref name="elapsed"/>.</summary>
    public static string Pace(TimeSpan elapsed, int step, int steps)
    {
        if (step < 1)
        {
            return "";
        }
        var perStep = elapsed / step;
        var left = step < steps ? $", ~{Duration(perStep * (steps - step))} left in the epoch" : "";
        return $"  {Duration(perStep)}/step{left}";
    }

    /// <summary>A short human duration: 0.42s, 12.5s, 3m05s, 1h02m.</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 10 => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
        < 60 => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        < 3600 => $"{(int)t.TotalMinutes}m{t.Seconds:00}s",
        _ => $"{(int)t.TotalHours}h{t.Minutes:00}m",
    };
}
