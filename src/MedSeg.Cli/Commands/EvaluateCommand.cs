using System.CommandLine;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Reports;

namespace MedSeg.Cli.Commands;

/// <summary>
/// <c>medseg evaluate</c>: metrics of predictions against ground truth; a table on stdout, JSON and a
/// self-contained HTML report on request.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var pred = new Option<string>("--pred")
        {
            Description = "Predictions: a submission .csv (id,class,predicted), a folder of NIfTI label maps (CASE.nii.gz), or a folder of index PNGs (STEM.png) for a folder dataset.",
            Required = true,
        };
        var truth = new Option<string>("--truth")
        {
            Description = "Ground truth: a UW-Madison folder with train.csv for a .csv; an nnU-Net dataset, its labelsTr, or a folder of label maps with the same names for label maps; a folder dataset (masks/, or train/ val/ test/) for index PNGs (adds miou).",
            Required = true,
        };
        var metric = new Option<string?>("--metric")
        {
            Description = $"Metric: {string.Join(", ", EvaluationOptions.MetricNames)}. Default: uwmgi (the UW-Madison competition score) for a .csv, dice for label maps, iou for folder data.",
        };
        var aggregate = new Option<string?>("--aggregate")
        {
            Description = "Where overlap metrics take their ratio before averaging: slice, volume (case-day or case) or global. Default: slice for a .csv, volume for label maps, global for folder data. Not with uwmgi.",
        };
        var empty = new Option<string?>("--empty")
        {
            Description = "What an overlap ratio is when prediction and truth are both empty: skip, one or zero. Default: skip. Not with uwmgi.",
        };
        var probabilities = new Option<string?>("--probabilities")
        {
            Description = "Folder of probability maps as medseg predict --save-probabilities writes them (CASE.npy, float16, classes×slices×H×W, one per case-day or case): adds per-class precision–recall (average precision, F1-optimal threshold) to the table, the JSON and the report.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the full result (per class, per case) as JSON to this file ('-' = stdout only)." };
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report (tables, precision–recall curves with --probabilities, worst cases drawn over their images) to this file (.html)." };
        var command = new Command("evaluate", "Score predictions against ground truth (UW-Madison score, Dice, IoU, precision, recall, F1, specificity, Hausdorff).")
        {
            pred, truth, metric, aggregate, empty, probabilities, json, report,
        };
        command.SetAction(parsed =>
        {
            string predPath = parsed.GetValue(pred)!, truthPath = parsed.GetValue(truth)!;
            var evaluator = Evaluator.Load(predPath, truthPath);
            var options = EvaluationOptions.Parse(parsed.GetValue(metric) ?? evaluator.DefaultMetric, parsed.GetValue(aggregate), parsed.GetValue(empty))
                with { Probabilities = parsed.GetValue(probabilities) };
            var result = evaluator.Evaluate(options);
            var text = JsonSerializer.Serialize(result.ToJson(), new JsonSerializerOptions { WriteIndented = true });
            var reportPath = parsed.GetValue(report);
            if (reportPath is not null)
            {
                EvaluationHtml.Write(reportPath, result, evaluator.FindWorstSlices(result),
                    EvaluationSource.Now(predPath, truthPath, parsed.Tokens.Select(token => token.Value)));
            }
            var jsonPath = parsed.GetValue(json);
            if (jsonPath == "-")
            {
                Console.WriteLine(text);
                return;
            }
            if (jsonPath is not null)
            {
                AtomicFile.WriteAllText(jsonPath, text + "\n");
            }
            Console.WriteLine(result.ToTable());
        });
        return command;
    }
}
