using System.CommandLine;
using MedSeg.Core;
using MedSeg.Core.Reports;
using MedSeg.Torch.Reports;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg report RUN [--data DATA] [--out FILE.html]</c>: a training run's report as one self-contained HTML page.</summary>
public static class ReportCommand
{
    /// <summary>The report's file name inside the run folder when no --out is given.</summary>
    public const string DefaultFile = "report.html";

    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder written by medseg train." };
        var data = new Option<string?>("--data")
        {
            Description = "The dataset the run was trained on (UW-Madison layout): adds validation per class and the worst validation slices, from the run's out-of-fold probabilities. [default: the run's preprocessed/ data for nnU-Net runs]",
        };
        var output = new Option<string?>("--out") { Description = $"The page to write (.html). [default: RUN/{DefaultFile}]" };
        var command = new Command("report", "Write a training run's report: curves, learning rate, time per epoch, validation per class, worst validation slices.")
        {
            run, data, output,
        };
        command.SetAction(parsed =>
        {
            string runPath = parsed.GetValue(run)!;
            string outPath = parsed.GetValue(output) ?? Path.Combine(runPath, DefaultFile);
            NewOutputFile.Require(outPath, "--out", ".html", "the report is one HTML page");
            RunReport report = RunReportBuilder.Build(runPath, parsed.GetValue(data));
            RunReportHtml.Write(outPath, report);
            foreach (string note in report.Notes)
            {
                Console.Error.WriteLine($"medseg: note: {note}");
            }
            Console.WriteLine($"wrote {outPath}");
        });
        return command;
    }
}
