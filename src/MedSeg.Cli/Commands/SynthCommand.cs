using System.CommandLine;
using MedSeg.Core;
using MedSeg.Core.Synthetic;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg synth</c>: writes a synthetic GI-tract-like MRI dataset.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new UwMadisonSynthOptions();
        var layout = new Option<string>("--layout") { Description = "Dataset layout to write: uwmgi (Kaggle UW-Madison).", DefaultValueFactory = _ => "uwmgi" };
        var output = new Option<string>("--out") { Description = "Folder to create (must not exist or be empty).", Required = true };
        var cases = new Option<int>("--cases") { Description = "Number of cases.", DefaultValueFactory = _ => defaults.Cases };
        var days = new Option<int>("--days") { Description = "Maximum scan days per case (each case gets 1..D).", DefaultValueFactory = _ => defaults.MaxDays };
        var slices = new Option<int>("--slices") { Description = "Axial slices per case-day.", DefaultValueFactory = _ => defaults.Slices };
        var size = new Option<string>("--size") { Description = "Slice size HxW in pixels.", DefaultValueFactory = _ => $"{defaults.Height}x{defaults.Width}" };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes identical files.", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("synth", "Write a synthetic GI-tract-like MRI dataset (16-bit PNG slices, train.csv with RLE masks).")
        {
            layout, output, cases, days, slices, size, seed,
        };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(layout) != "uwmgi")
            {
                throw new MedSegException($"--layout {parsed.GetValue(layout)} is not available yet; valid: uwmgi.");
            }
            var (height, width) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            var options = new UwMadisonSynthOptions(parsed.GetValue(cases), parsed.GetValue(days), parsed.GetValue(slices), height, width, parsed.GetValue(seed));
            var outDir = parsed.GetValue(output)!;
            var summary = UwMadisonSynth.Write(outDir, options, message => Console.Error.WriteLine(message));
            Console.WriteLine($"wrote {summary.CaseDays} case-days, {summary.Slices} slices to {outDir}");
        });
        return command;
    }
}
