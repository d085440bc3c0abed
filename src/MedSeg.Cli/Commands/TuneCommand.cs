using System.CommandLine;
using MedSeg.Core;
using MedSeg.Torch.Inference;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg tune</c>: thresholds and minimum pixel count from a run's out-of-fold predictions.</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var oof = new Option<string[]>("--oof", "--model") { Description = "Run folder (or --fold all run) whose out-of-fold predictions (RUN/oof/) to tune on; repeat to tune an ensemble (--model is the same option, as in predict).", Required = true, Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Ensemble file to write (ENSEMBLE.json, needed with several --oof runs); predict --model ENSEMBLE.json uses it." };
        var data = new Option<string>("--data") { Description = "The labelled dataset the run was trained on.", Required = true };
        var command = new Command("tune",
            "Search per-class thresholds and a minimum pixel count on out-of-fold predictions (and ensemble weights for several runs); writes RUN/tuned.json or --out ENSEMBLE.json, which predict uses.")
        {
            oof, data, output,
        };
        command.SetAction(parsed =>
        {
            var runs = parsed.GetValue(oof)!;
            var ensemblePath = parsed.GetValue(output);
            if (runs.Length > 1 || ensemblePath is not null)
            {
                if (runs.Length < 2 || ensemblePath is null)
                {
                    throw new MedSegException("an ensemble is tuned from two or more --oof runs into --out ENSEMBLE.json; give both (one run alone writes RUN/tuned.json).");
                }
                var ensemble = OutOfFoldTuning.TuneEnsemble(runs, parsed.GetValue(data)!, ensemblePath, Console.WriteLine);
                Console.WriteLine(
                    $"uwmgi on {ensemble.CaseDays} out-of-fold case-days: {ensemble.Score:F4} (equal weights, defaults: {ensemble.DefaultScore:F4}); weights {string.Join(", ", ensemble.Weights.Select(w => w.ToString("F2")))}, thresholds {string.Join(", ", ensemble.Thresholds.Select(t => t.ToString("F2")))}, min pixels {ensemble.MinPixels}; wrote {ensemblePath}");
                return;
            }
            var run = runs[0];
            var tuned = OutOfFoldTuning.Tune(run, parsed.GetValue(data)!, Console.WriteLine);
            Console.WriteLine(
                $"uwmgi on {tuned.CaseDays} out-of-fold case-days: {tuned.Score:F4} (defaults: {tuned.DefaultScore:F4}); thresholds {string.Join(", ", tuned.Thresholds.Select(t => t.ToString("F2")))}, min pixels {tuned.MinPixels}; wrote {Path.Combine(run, "tuned.json")}");
        });
        return command;
    }
}
