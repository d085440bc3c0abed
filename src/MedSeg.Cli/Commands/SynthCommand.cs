using System.CommandLine;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg synth</c>: writes a synthetic GI-tract-like MRI dataset in the UW-Madison or nnU-Net layout, or a CamVid-like folder dataset.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new UwMadisonSynthOptions();
        var folderDefaults = new FolderSynthOptions();
        var layout = new Option<string>("--layout")
        {
            Description = "Dataset layout to write: uwmgi (Kaggle UW-Madison: PNG slices + train.csv), nnunet (OUT/DatasetNNN_SynthGI with NIfTI volumes) or folder (CamVid-like: images/ RGB PNGs, masks/ index PNGs, classes.txt).",
            DefaultValueFactory = _ => "uwmgi",
        };
        var output = new Option<string>("--out")
        {
            Description = "uwmgi, folder: the dataset folder to create (must not exist or be empty); nnunet: the nnU-Net raw folder to create DatasetNNN_SynthGI in.",
            Required = true,
        };
        var cases = new Option<int>("--cases") { Description = "Number of cases.", DefaultValueFactory = _ => defaults.Cases };
        var days = new Option<int>("--days") { Description = "Maximum scan days per case (each case gets 1..D).", DefaultValueFactory = _ => defaults.MaxDays };
        var slices = new Option<int>("--slices") { Description = "Axial slices per case-day.", DefaultValueFactory = _ => defaults.Slices };
        var size = new Option<string?>("--size") { Description = $"Slice (folder: image) size HxW in pixels [default: uwmgi, nnunet: {defaults.Height}x{defaults.Width}; folder: {folderDefaults.Height}x{folderDefaults.Width}]." };
        var images = new Option<int>("--images") { Description = "folder: number of images (without --split).", DefaultValueFactory = _ => folderDefaults.Images };
        var classes = new Option<int>("--classes") { Description = "folder: classes, background included (2-256).", DefaultValueFactory = _ => folderDefaults.Classes };
        var channels = new Option<int?>("--channels") { Description = $"folder: 3 (RGB images) or 1 (grayscale) [default: {folderDefaults.Channels}]; nnunet: image channels per case (CASE_0000 T2, then other contrasts of the same anatomy) [default: 1]." };
        var split = new Option<string?>("--split") { Description = "folder: TRAIN,VAL,TEST image counts written into train/, val/ and test/ sub-folders instead of --images (e.g. 367,101,233, CamVid's split)." };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes identical files.", DefaultValueFactory = _ => defaults.Seed };
        var datasetId = new Option<int>("--dataset-id") { Description = "nnunet: the dataset number NNN (1-999).", DefaultValueFactory = _ => NnUnetSynth.DefaultDatasetId };
        var spacing = new Option<string?>("--spacing") { Description = "nnunet: voxel spacing DxHxW in mm (slice x row x column distance), e.g. 4x0.8x0.8 [default: 1.5 or 1.63 in-plane, 3 mm slices]." };
        var command = new Command("synth", "Write a synthetic GI-tract-like MRI dataset (uwmgi: 16-bit PNG slices and train.csv with RLE masks; nnunet: NIfTI volumes and label maps).")
        {
            layout, output, cases, days, slices, size, seed, datasetId, images, classes, channels, split, spacing,
        };
        command.SetAction(parsed =>
        {
            string kind = parsed.GetValue(layout)!;
            if (kind is not ("uwmgi" or "nnunet" or "folder"))
            {
                throw new MedSegException($"--layout {kind} is not a synthetic dataset layout; valid: uwmgi, nnunet, folder.");
            }
            var layoutOptions = new Dictionary<Option, string[]>
            {
                [cases] = ["uwmgi", "nnunet"], [days] = ["uwmgi", "nnunet"], [slices] = ["uwmgi", "nnunet"],
                [datasetId] = ["nnunet"], [spacing] = ["nnunet"], [channels] = ["nnunet", "folder"],
                [images] = ["folder"], [classes] = ["folder"], [split] = ["folder"],
            };
            foreach (var (option, layouts) in layoutOptions)
            {
                if (parsed.GetResult(option) is { Implicit: false } && !layouts.Contains(kind))
                {
                    throw new MedSegException($"{option.Name} applies to --layout {string.Join(" and ", layouts)}, not to --layout {kind}; leave it out.");
                }
            }
            var outDir = parsed.GetValue(output)!;
            Action<string> progress = message => Console.Error.WriteLine(message);
            if (kind == "folder")
            {
                var (h, w) = parsed.GetValue(size) is { } folderSize ? SizeText.Parse(folderSize, "--size") : (folderDefaults.Height, folderDefaults.Width);
                var folderOptions = new FolderSynthOptions(parsed.GetValue(images), h, w, parsed.GetValue(classes), parsed.GetValue(channels) ?? folderDefaults.Channels, parsed.GetValue(seed),
                    Counts(parsed.GetValue(split)));
                var written = FolderSynth.Write(outDir, folderOptions, progress);
                Console.WriteLine($"wrote {Plural.Of(written, "image")} with masks of {folderOptions.Classes} classes to {outDir}");
                return;
            }
            var (height, width) = SizeText.Parse(parsed.GetValue(size) ?? $"{defaults.Height}x{defaults.Width}", "--size");
            var options = new UwMadisonSynthOptions(parsed.GetValue(cases), parsed.GetValue(days), parsed.GetValue(slices), height, width, parsed.GetValue(seed));
            var voxelSpacing = parsed.GetValue(spacing) is { } text ? StackSpacing.Parse(text, "--spacing") : (StackSpacing?)null;
            if (kind == "uwmgi")
            {
                var summary = UwMadisonSynth.Write(outDir, options, progress);
                Console.WriteLine($"wrote {Plural.Of(summary.CaseDays, "case-day")}, {Plural.Of(summary.Slices, "slice")} to {outDir}");
            }
            else
            {
                int id = parsed.GetValue(datasetId);
                var summary = NnUnetSynth.Write(outDir, options, id, progress, parsed.GetValue(channels) ?? 1, voxelSpacing);
                Console.WriteLine($"wrote {Plural.Of(summary.CaseDays, "volume")} ({Plural.Of(summary.Slices, "slice")}) to {Path.Combine(outDir, NnUnetSynth.DatasetFolderName(id))}");
            }
        });
        return command;
    }

    /// <summary>The counts of <c>--split TRAIN,VAL,TEST</c>, or null when it is absent.</summary>
    private static int[]? Counts(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out counts[i]))
            {
                throw new MedSegException($"--split '{text}': '{parts[i]}' is not a whole number; write TRAIN,VAL,TEST counts, e.g. 367,101,233.");
            }
        }
        return counts;
    }
}
