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
            Description = $"Metric: {string.Join(", ", EvaluationOptions.MetricNames)}. [default: uwmgi (the UW-Madison competition score) for a .csv, dice for label maps, iou for folder data]",
        };
        var aggregate = new Option<string?>("--aggregate")
        {
            Description = "Where overlap metrics take their ratio before averaging: slice, volume (case-day or case) or global Not with uwmgi. [default: slice for a .csv, volume for label maps, global for folder data]",
        };
        var empty = new Option<string?>("--empty")
        {
            Description = "What an overlap ratio is when prediction and truth are both empty: skip, one or zero. Not with uwmgi. [default: skip]",
        };
        var probabilities = new Option<string?>("--probabilities")
        {
            Description = "Folder of probability maps as medseg predict --save-probabilities writes them (CASE.npy, float16, classes×slices×H×W, one per case-day or case): adds per-class precision–recall (average precision, F1-optimal threshold) to the table, the JSON and the report.",
        };
        var json = new JsonOutput("the full result (per class, per case)");
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report (tables, precision–recall curves with --probabilities, worst cases drawn over their images) to this file (.html)." };
        var command = new Command("evaluate", "Score predictions against ground truth (UW-Madison score, Dice, IoU, precision, recall, F1, specificity, Hausdorff).")
        {
            pred, truth, metric, aggregate, empty, probabilities, json.Option, report,
        };
        command.SetAction(parsed =>
        {
            string predPath = parsed.GetValue(pred)!, truthPath = parsed.GetValue(truth)!;
            var reportPath = parsed.GetValue(report);
            if (reportPath is not null)
            {
                NewOutputFile.Require(reportPath, "--report", ".html", "the report is one HTML page");
            }
            json.CheckTarget(parsed);
            var evaluator = Evaluator.Load(predPath, truthPath);
            foreach (var warning in evaluator.Warnings)
            {
                Console.Error.WriteLine($"medseg: warning: {warning}");
            }
            var options = EvaluationOptions.Parse(parsed.GetValue(metric) ?? evaluator.DefaultMetric, parsed.GetValue(aggregate), parsed.GetValue(empty))
                with { Probabilities = parsed.GetValue(probabilities) };
            var result = evaluator.Evaluate(options);
            var text = JsonSerializer.Serialize(result.ToJson(), new JsonSerializerOptions { WriteIndented = true });
            if (reportPath is not null)
            {
                EvaluationHtml.Write(reportPath, result, evaluator.FindWorstSlices(result),
                    EvaluationSource.Now(predPath, truthPath, parsed.Tokens.Select(token => token.Value)));
            }
            if (!json.Write(parsed, text))
            {
                Console.WriteLine(result.ToTable());
            }
        });
        return command;
    }
}
