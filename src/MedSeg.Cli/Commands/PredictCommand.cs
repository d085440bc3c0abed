using System.CommandLine;
using System.Globalization;
using MedSeg.Core;
using MedSeg.Torch.Inference;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg predict</c>: segments a dataset with one run or an ensemble and writes a submission CSV.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Run folder written by 'medseg train'; repeat for an ensemble.", Required = true, Arity = ArgumentArity.OneOrMore };
        var data = new Option<string>("--data") { Description = "Dataset folder (UW-Madison layout: train/ with train.csv, or test/).", Required = true };
        var output = new Option<string>("--out") { Description = "Submission file to write (.csv: id,class,predicted).", Required = true };
        var tta = new Option<string>("--tta") { Description = "Test-time augmentation: none or flip (horizontal flip, averaged).", DefaultValueFactory = _ => "none" };
        var threshold = new Option<double?>("--threshold") { Description = "Foreground probability threshold (default: the first run's, 0.5)." };
        var weights = new Option<string?>("--weights") { Description = "Ensemble weights w1,w2,... one per --model (default: equal)." };
        var minPixels = new Option<int>("--min-pixels") { Description = "Drop a class from a slice when fewer pixels are predicted.", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Slices per forward pass.", DefaultValueFactory = _ => 8 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("predict", "Predict masks for every slice of a dataset and write a Kaggle submission CSV.")
        {
            models, data, output, tta, threshold, weights, minPixels, batchSize, device,
        };
        command.SetAction(parsed =>
        {
            var options = new PredictOptions(parsed.GetValue(tta)!, parsed.GetValue(threshold), parsed.GetValue(minPixels), parsed.GetValue(batchSize));
            var progress = new ConsoleProgress();
            var outPath = parsed.GetValue(output)!;
            var rows = SubmissionPredictor.Predict(parsed.GetValue(models)!, ParseWeights(parsed.GetValue(weights)), parsed.GetValue(data)!,
                outPath, options, parsed.GetValue(device)!,
                (done, total, id) => progress.Update((double)done / total, $"{done}/{total} case-days ({id})"));
            progress.Clear();
            Console.WriteLine($"wrote {rows} rows to {outPath}");
        });
        return command;
    }

    private static double[]? ParseWeights(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]) || weights[i] < 0)
            {
                throw new MedSegException($"--weights '{text}': '{parts[i]}' is not a non-negative number; write e.g. 0.6,0.4.");
            }
        }
        return weights;
    }
}
