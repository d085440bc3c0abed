using System.CommandLine;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg synth</c>: writes a synthetic GI-tract-like MRI dataset in the UW-Madison or nnU-Net layout.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new UwMadisonSynthOptions();
        var layout = new Option<string>("--layout")
        {
            Description = "Dataset layout to write: uwmgi (Kaggle UW-Madison: PNG slices + train.csv) or nnunet (OUT/DatasetNNN_SynthGI with NIfTI volumes).",
            DefaultValueFactory = _ => "uwmgi",
        };
        var output = new Option<string>("--out")
        {
            Description = "uwmgi: the dataset folder to create (must not exist or be empty); nnunet: the nnU-Net raw folder to create DatasetNNN_SynthGI in.",
            Required = true,
        };
        var cases = new Option<int>("--cases") { Description = "Number of cases.", DefaultValueFactory = _ => defaults.Cases };
        var days = new Option<int>("--days") { Description = "Maximum scan days per case (each case gets 1..D).", DefaultValueFactory = _ => defaults.MaxDays };
        var slices = new Option<int>("--slices") { Description = "Axial slices per case-day.", DefaultValueFactory = _ => defaults.Slices };
        var size = new Option<string>("--size") { Description = "Slice size HxW in pixels.", DefaultValueFactory = _ => $"{defaults.Height}x{defaults.Width}" };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes identical files.", DefaultValueFactory = _ => defaults.Seed };
        var datasetId = new Option<int>("--dataset-id") { Description = "nnunet: the dataset number NNN (1-999).", DefaultValueFactory = _ => NnUnetSynth.DefaultDatasetId };
        var channels = new Option<int>("--channels") { Description = "nnunet: image channels per case (CASE_0000 T2, then other contrasts of the same anatomy).", DefaultValueFactory = _ => 1 };
        var spacing = new Option<string?>("--spacing") { Description = "nnunet: voxel spacing DxHxW in mm (slice x row x column distance), e.g. 4x0.8x0.8 [1.5 or 1.63 in-plane, 3 mm slices]." };
        var command = new Command("synth", "Write a synthetic GI-tract-like MRI dataset (uwmgi: 16-bit PNG slices and train.csv with RLE masks; nnunet: NIfTI volumes and label maps).")
        {
            layout, output, cases, days, slices, size, seed, datasetId, channels, spacing,
        };
        command.SetAction(parsed =>
        {
            string kind = parsed.GetValue(layout)!;
            if (kind is not ("uwmgi" or "nnunet"))
            {
                throw new MedSegException($"--layout {kind} is not a synthetic dataset layout; valid: uwmgi, nnunet.");
            }
            var (height, width) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            var options = new UwMadisonSynthOptions(parsed.GetValue(cases), parsed.GetValue(days), parsed.GetValue(slices), height, width, parsed.GetValue(seed));
            var outDir = parsed.GetValue(output)!;
            Action<string> progress = message => Console.Error.WriteLine(message);
            var voxelSpacing = parsed.GetValue(spacing) is { } text ? StackSpacing.Parse(text, "--spacing") : (StackSpacing?)null;
            if (kind == "uwmgi")
            {
                if (parsed.GetValue(channels) != 1 || voxelSpacing is not null)
                {
                    throw new MedSegException("--channels and --spacing apply to --layout nnunet; the UW-Madison layout has one channel and its own spacing.");
                }
                var summary = UwMadisonSynth.Write(outDir, options, progress);
                Console.WriteLine($"wrote {summary.CaseDays} case-days, {summary.Slices} slices to {outDir}");
            }
            else
            {
                int id = parsed.GetValue(datasetId);
                var summary = NnUnetSynth.Write(outDir, options, id, progress, parsed.GetValue(channels), voxelSpacing);
                Console.WriteLine($"wrote {summary.CaseDays} volumes ({summary.Slices} slices) to {Path.Combine(outDir, NnUnetSynth.DatasetFolderName(id))}");
            }
        });
        return command;
    }
}
