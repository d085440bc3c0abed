using System.CommandLine;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Evaluation;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg evaluate</c>: metrics of a submission against ground truth; a table on stdout, JSON on request.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Predictions: a submission .csv (id,class,predicted).", Required = true };
        var truth = new Option<string>("--truth") { Description = "Ground truth: a UW-Madison-layout folder with train.csv.", Required = true };
        var metric = new Option<string>("--metric") { Description = $"Metric preset: {string.Join(", ", SubmissionEvaluator.MetricNames)}.", DefaultValueFactory = _ => "uwmgi" };
        var json = new Option<string?>("--json") { Description = "Also write the full result (per class, per case-day) as JSON to this file ('-' = stdout only)." };
        var command = new Command("evaluate", "Score predictions against ground truth (UW-Madison score, Dice, IoU, precision, recall, Hausdorff).")
        {
            pred, truth, metric, json,
        };
        command.SetAction(parsed =>
        {
            var report = SubmissionEvaluator.Evaluate(parsed.GetValue(pred)!, parsed.GetValue(truth)!, parsed.GetValue(metric)!);
            var text = JsonSerializer.Serialize(report.ToJson(), new JsonSerializerOptions { WriteIndented = true });
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
            Print(report);
        });
        return command;
    }

    private static void Print(EvaluationReport report)
    {
        var r = report.Result;
        Console.WriteLine($"{report.Metric} on {report.CaseDays} case-days, {report.Slices} slices");
        Console.WriteLine($"{"",-14} {"score",7} {"dice",7} {"iou",7} {"prec",7} {"recall",7} {"hd",7} {"hd95",7}");
        Console.WriteLine(Row("all classes", r.Overall));
        foreach (var (name, m) in r.PerClass)
        {
            Console.WriteLine(Row(name, m));
        }
        Console.WriteLine($"score {r.Score:F4} (an all-empty submission scores {report.EmptyScore:F4})");
    }

    private static string Row(string name, Core.Metrics.UwMadisonMetrics m) =>
        $"{name,-14} {m.Score,7:F4} {m.Dice,7:F4} {m.Iou,7:F4} {m.Precision,7:F4} {m.Recall,7:F4} {m.Hausdorff,7:F4} {m.Hd95,7:F4}";
}
