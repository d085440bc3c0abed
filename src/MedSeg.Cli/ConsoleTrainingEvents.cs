using MedSeg.Torch.Training;

namespace MedSeg.Cli;

/// <summary>How training commands show a run's progress: a step bar on stderr, one line per epoch and per message.</summary>
public static class ConsoleTrainingEvents
{
    /// <summary>Events that draw the step bar and write epoch summaries and messages to <paramref name="lines"/>.</summary>
    public static TrainingEvents Create(TextWriter lines)
    {
        var progress = new ConsoleProgress();
        return new TrainingEvents
        {
            Step = (epoch, total, step, steps, meanLoss) =>
                progress.Update((double)step / steps, $"epoch {epoch}/{total} step {step}/{steps} loss {meanLoss:F4}"),
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
            },
            Message = m =>
            {
                progress.Clear();
                lines.WriteLine(m);
            },
        };
    }
}
