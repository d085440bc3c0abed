using System.CommandLine;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg synth</c>: writes a synthetic GI-tract-like MRI dataset in the UW-Madison or nnU-Net layout, a brain-MRI evaluation set (<c>--anatomy brain</c>) in the nnU-Net layout, or a CamVid-like folder dataset.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new UwMadisonSynthOptions();
        var folderDefaults = new FolderSynthOptions();
        var brainDefaults = new BrainSynthOptions();
        var layout = new Option<string>("--layout")
        {
            Description = "Dataset layout to write: uwmgi (Kaggle UW-Madison: PNG slices + train.csv), nnunet (OUT/DatasetNNN_SynthGI with NIfTI volumes) or folder (CamVid-like: images/ RGB PNGs, masks/ index PNGs, classes.txt).",
            DefaultValueFactory = _ => "uwmgi",
        };
        var output = new Option<string>("--out")
        {
            Description = "uwmgi, folder: the dataset folder to create (must not exist or be empty); nnunet: the nnU-Net raw folder to create DatasetNNN_SynthGI (or DatasetNNN_SynthBrain) in.",
            Required = true,
        };
        var anatomy = new Option<string>("--anatomy")
        {
            Description = "What the scans show: gi (abdominal MRI with stomach and bowel) or brain (nnunet only: T1 head volumes with left and right thalamus, caudate, putamen and hippocampus; subject sub01 trains, the others are held out in imagesTs with their truth in labelsTs).",
            DefaultValueFactory = _ => "gi",
        };
        var cases = new Option<int?>("--cases") { Description = $"Number of cases (brain: subjects, the first one for training) [default: gi {defaults.Cases}, brain {brainDefaults.Subjects}]." };
        var days = new Option<int>("--days") { Description = "Maximum scan days per case (each case gets 1..D).", DefaultValueFactory = _ => defaults.MaxDays };
        var slices = new Option<int?>("--slices") { Description = $"Axial slices per case-day [default: gi {defaults.Slices}, brain {brainDefaults.Slices}]." };
        var size = new Option<string?>("--size") { Description = $"Slice (folder: image) size HxW in pixels [default: uwmgi, nnunet: {defaults.Height}x{defaults.Width}; brain: {brainDefaults.Height}x{brainDefaults.Width}; folder: {folderDefaults.Height}x{folderDefaults.Width}]." };
        var images = new Option<int>("--images") { Description = "folder: number of images (without --split).", DefaultValueFactory = _ => folderDefaults.Images };
        var classes = new Option<int>("--classes") { Description = "folder: classes, background included (2-256).", DefaultValueFactory = _ => folderDefaults.Classes };
        var channels = new Option<int?>("--channels") { Description = $"folder: 3 (RGB images) or 1 (grayscale) [default: {folderDefaults.Channels}]; nnunet: image channels per case (CASE_0000 T2, then other contrasts of the same anatomy) [default: 1]." };
        var split = new Option<string?>("--split") { Description = "folder: TRAIN,VAL,TEST image counts written into train/, val/ and test/ sub-folders instead of --images (e.g. 367,101,233, CamVid's split)." };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes identical files.", DefaultValueFactory = _ => defaults.Seed };
        var datasetId = new Option<int>("--dataset-id") { Description = "nnunet: the dataset number NNN (1-999).", DefaultValueFactory = _ => NnUnetSynth.DefaultDatasetId };
        var spacing = new Option<string?>("--spacing") { Description = "nnunet: voxel spacing DxHxW in mm (slice x row x column distance), e.g. 4x0.8x0.8 [default: gi 1.5 or 1.63 in-plane, 3 mm slices; brain 1x1x1]." };
        var command = new Command("synth", "Write a synthetic GI-tract-like MRI dataset (uwmgi: 16-bit PNG slices and train.csv with RLE masks; nnunet: NIfTI volumes and label maps), or with --anatomy brain a brain-MRI evaluation set (nnunet).")
        {
            layout, anatomy, output, cases, days, slices, size, seed, datasetId, images, classes, channels, split, spacing,
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
            string body = parsed.GetValue(anatomy)!;
            if (body is not ("gi" or "brain"))
            {
                throw new MedSegException($"--anatomy {body} is unknown; valid: gi, brain.");
            }
            if (body == "brain")
            {
                WriteBrain(parsed, kind, outDir, progress, brainDefaults, cases, slices, size, seed, datasetId, spacing, [days, channels]);
                return;
            }
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
            var options = new UwMadisonSynthOptions(parsed.GetValue(cases) ?? defaults.Cases, parsed.GetValue(days), parsed.GetValue(slices) ?? defaults.Slices, height, width, parsed.GetValue(seed));
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

    /// <summary><c>--anatomy brain</c>: the nnU-Net brain evaluation set of <see cref="BrainSynth"/>.</summary>
    private static void WriteBrain(ParseResult parsed, string layout, string outDir, Action<string> progress, BrainSynthOptions defaults,
        Option<int?> cases, Option<int?> slices, Option<string?> size, Option<int> seed, Option<int> datasetId, Option<string?> spacing, Option[] giOnly)
    {
        if (layout != "nnunet")
        {
            throw new MedSegException($"--anatomy brain writes the nnU-Net layout; use --layout nnunet, not --layout {layout}.");
        }
        foreach (var option in giOnly.Where(o => parsed.GetResult(o) is { Implicit: false }))
        {
            throw new MedSegException($"{option.Name} applies to --anatomy gi, not to --anatomy brain; leave it out.");
        }
        var (height, width) = parsed.GetValue(size) is { } text ? SizeText.Parse(text, "--size") : (defaults.Height, defaults.Width);
        var options = new BrainSynthOptions(parsed.GetValue(cases) ?? defaults.Subjects, height, width, parsed.GetValue(slices) ?? defaults.Slices,
            parsed.GetValue(spacing) is { } mm ? StackSpacing.Parse(mm, "--spacing") : null, parsed.GetValue(seed));
        int id = parsed.GetValue(datasetId);
        var summary = BrainSynth.Write(outDir, options, id, progress);
        Console.WriteLine($"wrote {Plural.Of(summary.Cases, "subject")} (1 training, {summary.Cases - 1} held out) to {Path.Combine(outDir, BrainSynth.DatasetFolderName(id))}");
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
