using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MedSeg.Core;
using MedSeg.Core.Inspection;
using MedSeg.Core.Viewer;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg view --data DATA [--pred PRED] --out FILE.html [--serve]</c>: the self-contained slice viewer.</summary>
public static class ViewCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Dataset folder: UW-Madison (train.csv + train/, or test/), nnU-Net DatasetXXX_Name, or a folder dataset (images/ + masks/).",
            Required = true,
        };
        var pred = new Option<string?>("--pred")
        {
            Description = "Predictions of that data: a submission .csv, a folder of NIfTI label maps (CASE.nii.gz) or of index PNGs (STEM.png). With ground truth, cases are listed lowest score first.",
        };
        var output = new Option<string>("--out") { Description = "The page to write (.html, one self-contained file).", Required = true };
        var format = new Option<string>("--format")
        {
            Description = $"Layout: {string.Join(", ", DatasetFormats.Names)} (auto recognises it from the files).",
            DefaultValueFactory = _ => "auto",
        };
        var maxMb = new Option<double>("--max-mb")
        {
            Description = "Size cap of the page in MB (MiB): slices are shrunk in rows and columns by a whole factor (up to 16) until the page fits under it.",
            DefaultValueFactory = _ => ViewerOptions.DefaultMaxBytes / 1048576.0,
        };
        var cases = new Option<string?>("--cases") { Description = "Only these cases (case-days, cases or image stems), comma-separated. [default: all]" };
        var serve = new Option<bool>("--serve")
        {
            Description = "After writing the page, serve the data at full resolution on http://127.0.0.1:PORT/ until Ctrl+C: no size cap, each case's slices fetched when it is opened.",
        };
        var port = new Option<int>("--port") { Description = "The port --serve listens on (0: a free one).", DefaultValueFactory = _ => 0 };
        var command = new Command("view", "Write a self-contained HTML slice viewer of a dataset, its predictions, or both (overlays, window/level, planes, metrics).")
        {
            data, pred, output, format, maxMb, cases, serve, port,
        };
        command.SetAction(parsed =>
        {
            string outPath = parsed.GetValue(output)!, dataPath = parsed.GetValue(data)!;
            string? predPath = parsed.GetValue(pred);
            NewOutputFile.Require(outPath, "--out", ".html", "the viewer is one HTML page");
            double megabytes = parsed.GetValue(maxMb);
            if (!(megabytes > 0))
            {
                throw new MedSegException($"--max-mb {megabytes.ToString(CultureInfo.InvariantCulture)} must be a positive number of MB.");
            }
            var options = new ViewerOptions((long)(megabytes * 1048576),
                parsed.GetValue(cases)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var source = ViewerSources.Open(dataPath, predPath, DatasetFormats.Parse(parsed.GetValue(format)!));
            var page = SliceViewer.Build(source, options, dataPath, predPath, line => Console.Error.WriteLine($"medseg: {line}"));
            long bytes = SliceViewer.Write(outPath, page);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath} ({bytes / 1048576.0:F1} MB, {page.Cases.Count} {page.CaseKind}(s){(page.Factor > 1 ? $", slices shrunk {page.Factor}×" : "")})"));
            if (parsed.GetValue(serve))
            {
                ViewerPage full = page.Factor == 1
                    ? page
                    : SliceViewer.Build(source, options with { MaxBytes = long.MaxValue }, dataPath, predPath, line => Console.Error.WriteLine($"medseg: {line}"));
                Serve(full, parsed.GetValue(port));
            }
        });
        return command;
    }

    private static void Serve(ViewerPage page, int port)
    {
        using var server = ViewerServer.Start(page, port);
        using var stop = new ManualResetEventSlim();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        Console.WriteLine($"serving {server.Url} (Ctrl+C to stop)");
        stop.Wait();
    }
}
