using MedSeg.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MedSeg.Core.Inspection;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg inspect DATA</c>: reads and checks every file of a dataset and prints a summary (text or one JSON object).</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var data = new Argument<string>("DATA") { Description = "Dataset folder (UW-Madison, nnU-Net DatasetXXX_Name, or images/ + masks/)." };
        var format = new Option<string>("--format")
        {
            Description = $"Layout: {string.Join(", ", DatasetFormats.Names)} (auto recognises it from the files).",
            DefaultValueFactory = _ => "auto",
        };
        var showPatient = new Option<bool>("--show-patient") { Description = "DICOM: also print each series' patient name, ID and birth date (never printed otherwise)." };
        var json = new JsonOutput("the summary (format, classes, cases, volumes, slices, positives, items)");
        var command = new Command("inspect", "Read and validate every image and mask of a dataset, then summarise it (a broken file, RLE or label value is an error).")
        {
            data, format, showPatient, json.Option,
        };
        command.SetAction(parsed =>
        {
            json.CheckTarget(parsed);
            var progress = new ConsoleProgress();
            var summary = DatasetInspector.Inspect(
                parsed.GetValue(data)!, DatasetFormats.Parse(parsed.GetValue(format)!), (done, total) => progress.Update((double)done / total, $"{done}/{total} read"),
                parsed.GetValue(showPatient));
            progress.Clear();
            if (!json.Write(parsed, JsonSerializer.Serialize(summary.ToJson())))
            {
                Print(summary);
            }
        });
        return command;
    }

    private static void Print(DatasetSummary summary)
    {
        bool nifti = summary.Format is DatasetFormat.NnUnet or DatasetFormat.Dicom;
        string unit = nifti ? "volumes" : "slices";
        Console.WriteLine($"{"format",-9} {DatasetFormats.Name(summary.Format)} ({summary.Root})");
        Console.WriteLine($"{"counts",-9} {Plural.Of(summary.Cases, "case")}, {Plural.Of(summary.Volumes, summary.Format == DatasetFormat.UwMadison ? "case-day" : nifti ? "volume" : "image")}, {Plural.Of(summary.Slices, "slice")}{(summary.Labelled ? "" : ", no labels")}");
        string axes = summary.Format switch
        {
            DatasetFormat.UwMadison => "slices×H×W",
            DatasetFormat.NnUnet or DatasetFormat.Dicom => "X×Y×Z",
            _ => "H×W or H×W×RGB",
        };
        Console.WriteLine($"{"sizes",-9} {Tally(summary.Items, i => string.Join('×', i.Shape))} [{axes}]");
        Console.WriteLine($"{"spacings",-9} {Tally(summary.Items, i => i.Spacing is null ? "none" : string.Join('×', i.Spacing.Select(s => s.ToString("0.###", CultureInfo.InvariantCulture))) + " mm")}");
        if (nifti)
        {
            Console.WriteLine($"{"axes",-9} {Tally(summary.Items, i => i.Orientation ?? "?")}");
        }
        foreach (var item in summary.Items.Where(i => i.Patient is not null))
        {
            Console.WriteLine($"{"patient",-9} {item.Id}: {string.Join(", ", item.Patient!.Select(p => $"{p.Key} {p.Value}"))}");
        }
        if (summary.Items.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"values",-9} {summary.Items.Min(i => i.Min):G6} to {summary.Items.Max(i => i.Max):G6}"));
        }
        if (summary.Classes.Count > 0)
        {
            Console.WriteLine($"{"classes",-9} {"present in",10}");
            for (int c = 0; c < summary.Classes.Count; c++)
            {
                Console.WriteLine($"  {summary.Classes[c],-15} {summary.Positives[c],6} {unit}");
            }
        }
        Console.WriteLine("all files read and valid; --json lists every item");
    }

    /// <summary>"value (count), ..." from most to least common.</summary>
    private static string Tally(IEnumerable<InspectedItem> items, Func<InspectedItem, string> key) =>
        string.Join(", ", items.GroupBy(key).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ({g.Count()})"));
}
