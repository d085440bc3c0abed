using System.CommandLine;
using MedSeg.Torch.Inference;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg tune</c>: thresholds and minimum pixel count from a run's out-of-fold predictions.</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var oof = new Option<string>("--oof") { Description = "Run folder (or --fold all run) whose out-of-fold predictions (RUN/oof/) to tune on.", Required = true };
        var data = new Option<string>("--data") { Description = "The labelled dataset the run was trained on.", Required = true };
        var command = new Command("tune", "Search per-class thresholds and a minimum pixel count on out-of-fold predictions; writes RUN/tuned.json, which predict uses.")
        {
            oof, data,
        };
        command.SetAction(parsed =>
        {
            var run = parsed.GetValue(oof)!;
            var tuned = OutOfFoldTuning.Tune(run, parsed.GetValue(data)!, Console.WriteLine);
            Console.WriteLine(
                $"uwmgi on {tuned.CaseDays} out-of-fold case-days: {tuned.Score:F4} (defaults: {tuned.DefaultScore:F4}); thresholds {string.Join(", ", tuned.Thresholds.Select(t => t.ToString("F2")))}, min pixels {tuned.MinPixels}; wrote {Path.Combine(run, "tuned.json")}");
        });
        return command;
    }
}
