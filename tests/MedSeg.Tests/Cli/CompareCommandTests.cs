using System.Text.Json;
using MedSeg.Cli;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Training;
using Xunit.Abstractions;

namespace MedSeg.Tests.Cli;

/// <summary>
/// <c>medseg compare</c> end to end on a tiny synthetic dataset: every mode (and with <c>--archs</c> and
/// <c>--train-sizes</c> every architecture and training-set size) trained and measured on the same validation
/// case-days, and bad options refused before any training. Sequential: the console and libtorch's random
/// generator are process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class CompareCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>3 cases of one day, <paramref name="slices"/> slices of <paramref name="size"/>² (12 of 64×64): with 3 folds two case-days train, one validates.</summary>
    private UwMadisonDataset Synthesise(int slices = 12, int size = 64)
    {
        var data = folder.Combine("data");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 3, MaxDays: 1, Slices: slices, Height: size, Width: size, Seed: 3));
        return UwMadisonDataset.Load(data);
    }

    /// <summary>A tiny study: ResNet-18 U-Net at 64×64 for 2d / 2.5d, a two-level unet3d of width 8 on 8×32×32 patches, one epoch.</summary>
    private static string[] Arguments(string data, string outPath, params string[] more) => WithPatch(data, outPath, "8x32x32", more);

    private static string[] WithPatch(string data, string outPath, string patch, params string[] more) =>
    [
        "compare", "--data", data, "--out", outPath, "--encoder", "resnet18", "--image-size", "64x64", "--epochs", "1",
        "--batch-size", "8", "--lr", "3e-3", "--loss", "dice", "--folds", "3", "--fold", "0", "--seed", "7", "--threads", "2",
        "--patch", patch, "--features", "8", "--levels", "2", "--batch-size-3d", "2", "--cache-mb", "64", .. more,
    ];

    /// <summary>Runs a study with <c>--json</c> that must succeed, logging its time; checks that stdout is <c>compare.json</c> and no temporary file is left.</summary>
    private (string Stdout, string Stderr) RunStudy(string what, string[] arguments)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, stdout, stderr) = CliRunner.Run(arguments);
        output.WriteLine($"compare of {what}: {clock.Elapsed.TotalSeconds:F1} s\n{stdout}");
        Assert.True(code == 0, stderr);
        var outPath = arguments[Array.IndexOf(arguments, "--out") + 1];
        Assert.Equal(File.ReadAllText(Path.Combine(outPath, "compare.json")), stdout);
        Assert.Empty(Directory.GetFiles(outPath, "*.tmp", SearchOption.AllDirectories));
        return (stdout, stderr);
    }

    [Fact]
    public void EveryModeIsTrainedAndMeasuredOnTheSameValidationCaseDays()
    {
        var data = Synthesise();
        var outPath = folder.Combine("study");
        var (stdout, stderr) = RunStudy("3 modes", Arguments(data.Root, outPath, "--json"));
        Assert.Contains("compare: mode 2.5d (2/3)", stderr);
        using var json = JsonDocument.Parse(stdout);
        var study = json.RootElement;
        var validation = study.GetProperty("validation_case_days").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var validationSlices = data.CaseDays.Where(c => validation.Contains(c.Id)).Sum(c => c.Slices.Count);
        Assert.Single(validation);
        Assert.Equal(validationSlices, study.GetProperty("validation_slices").GetInt32());
        Assert.Equal(7, study.GetProperty("seed").GetInt32());

        var modes = study.GetProperty("modes").EnumerateArray().ToArray();
        Assert.Equal(["2d", "2.5d", "3d"], modes.Select(m => m.GetProperty("mode").GetString()));
        Assert.Equal([1, 3, 1], modes.Select(m => m.GetProperty("in_channels").GetInt32()));
        foreach (var mode in modes)
        {
            var name = mode.GetProperty("mode").GetString()!;
            var run = RunFolder.Load(Path.Combine(outPath, name));
            Assert.Equal(Path.Combine(outPath, name), mode.GetProperty("run").GetString());
            Assert.Equal(validation, run.Info.ValidationCaseDays);
            Assert.Equal(name, run.Config.Mode);
            Assert.Equal(7, run.Config.Seed);

            // The predictor segmented the validation case-days only, one row per slice and class.
            var rows = File.ReadAllLines(Path.Combine(outPath, name, "validation.csv")).Skip(1).ToArray();
            Assert.Equal(validationSlices * data.Classes.Count, rows.Length);
            Assert.All(rows, r => Assert.StartsWith(validation[0] + "_", r));

            // The score of the submission is the one the trainer's own validation found for the best model (within what
            // predict's inference-prepared network, BatchNorm folded, and compare.json's rounding to 6 places allow).
            Assert.InRange(Math.Abs(run.Info.BestScore - mode.GetProperty("score").GetDouble()), 0, 1e-4);
            Assert.InRange(mode.GetProperty("score").GetDouble(), 0, 1);
            Assert.InRange(mode.GetProperty("dice").GetDouble(), 0, 1);
            var hd = mode.GetProperty("hausdorff_mm").GetDouble();
            Assert.InRange(mode.GetProperty("hd95_mm").GetDouble(), 0, hd);
            Assert.InRange(hd, 0, Diagonal(data.CaseDays.Single(c => c.Id == validation[0])));
            Assert.Equal(data.Classes, mode.GetProperty("per_class").EnumerateObject().Select(p => p.Name));
            foreach (var key in new[] { "params", "train_s", "train_s_per_example_per_epoch", "train_s_per_slice_per_epoch", "train_peak_mb",
                "infer_s", "infer_ms_per_slice", "infer_ms_per_case_day", "infer_peak_mb" })
            {
                Assert.True(mode.GetProperty(key).GetDouble() > 0, $"{name}: {key} {mode.GetProperty(key)} should be positive");
            }
            Assert.Equal(1, mode.GetProperty("epochs").GetInt32());
            // Both are written to 6 decimals, so the product may differ from the rounded total in the 5th decimal.
            Assert.Equal(mode.GetProperty("infer_ms_per_slice").GetDouble() * validationSlices, mode.GetProperty("infer_ms_per_case_day").GetDouble(), tolerance: 1e-3);
        }
        // 2D: two training case-days of 12 slices in batches of 8 → 3 full batches; 3D: the patches tiling each volume
        // once (16) are fewer than a 3D epoch's default minimum, so the epoch draws that many (25 steps of 2).
        Assert.Equal(24, modes[0].GetProperty("train_examples_per_epoch").GetInt32());
        Assert.Equal("patch 8x32x32", modes[2].GetProperty("example").GetString());
        Assert.Equal(Math.Max(2 * (12 / 8 + 1) * 2 * 2, TrainConfig.DefaultMinimumPatchesPerEpoch), modes[2].GetProperty("train_examples_per_epoch").GetInt32());
        Assert.True(modes[2].GetProperty("params").GetInt64() < modes[0].GetProperty("params").GetInt64() / 100);
    }

    [Fact]
    public void AnUnknownModeIsRefusedBeforeAnything()
    {
        var data = Synthesise();
        var outPath = folder.Combine("study");
        var (code, _, stderr) = CliRunner.Run(Arguments(data.Root, outPath, "--modes", "2d,4d"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("--modes 2d,4d: mode '4d' is unknown; valid: 2d, 2.5d, 3d", stderr);
        Assert.False(Directory.Exists(outPath));
    }

    [Fact]
    public void EveryModeIsCheckedBeforeTheFirstIsTrained()
    {
        var data = Synthesise();
        var outPath = folder.Combine("study");
        // The 2d mode is fine; the 3d mode's patch is deeper than every 12-slice volume.
        var (code, stdout, stderr) = CliRunner.Run(WithPatch(data.Root, outPath, "16x32x32"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.StartsWith("medseg: error: mode 3d: --patch 16x32x32 is larger than every training volume", stderr);
        Assert.DoesNotContain("epoch", stdout);
        Assert.False(Directory.Exists(outPath));

        (code, _, stderr) = CliRunner.Run(Arguments(data.Root, outPath, "--in-slices", "4"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("mode 2.5d: --in-slices 4 must be a positive odd number", stderr);
        Assert.False(Directory.Exists(outPath));
    }

    [Fact]
    public void ANonEmptyOutputFolderIsRefused()
    {
        var data = Synthesise();
        var outPath = Directory.CreateDirectory(folder.Combine("study")).FullName;
        File.WriteAllText(Path.Combine(outPath, "notes.txt"), "mine");
        var (code, _, stderr) = CliRunner.Run(Arguments(data.Root, outPath));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains($"--out {outPath} already exists and is not empty", stderr);
        Assert.Equal([Path.Combine(outPath, "notes.txt")], Directory.GetFileSystemEntries(outPath));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outPath, "notes.txt")));
    }

    [Fact]
    public void AnNnUnetDatasetIsPreprocessedOnceAndSharedByEveryMode()
    {
        var root = folder.Combine("nnunet");
        NnUnetSynth.Write(root, new UwMadisonSynthOptions(Cases: 3, MaxDays: 1, Slices: 12, Height: 64, Width: 64, Seed: 3));
        var dataset = Path.Combine(root, NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));
        var outPath = folder.Combine("study");

        // The 3d patch is deeper than every 12-slice volume: refused after preprocessing, which is removed again.
        var (code, _, stderr) = CliRunner.Run(WithPatch(dataset, outPath, "64x32x32", "--modes", "2d,3d"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("mode 3d: --patch 64x32x32", stderr);
        Assert.False(Directory.Exists(outPath));

        string stdout;
        (code, stdout, stderr) = CliRunner.Run(Arguments(dataset, outPath, "--modes", "2d,2.5d", "--json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("preprocessed 3 nnU-Net training cases", stderr);
        var preprocessed = UwMadisonDataset.Load(Path.Combine(outPath, RunFolder.PreprocessedFolder));
        using var json = JsonDocument.Parse(stdout);
        var validation = json.RootElement.GetProperty("validation_case_days").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Single(validation);
        Assert.Contains(validation[0], preprocessed.CaseDays.Select(c => c.Id));
        var modes = json.RootElement.GetProperty("modes").EnumerateArray().ToArray();
        Assert.Equal(["2d", "2.5d"], modes.Select(m => m.GetProperty("mode").GetString()));
        foreach (var mode in modes)
        {
            var run = RunFolder.Load(mode.GetProperty("run").GetString()!);
            Assert.Equal(IntensityMapping.PerVolumeRule, run.Info.Intensity);
            Assert.Equal(validation, run.Info.ValidationCaseDays);
            Assert.InRange(mode.GetProperty("score").GetDouble(), 0, 1);
            Assert.False(Directory.Exists(Path.Combine(mode.GetProperty("run").GetString()!, RunFolder.PreprocessedFolder)));
        }
    }

    /// <summary>The case-day volume's diagonal in mm: the largest Hausdorff distance it allows.</summary>
    private static double Diagonal(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        return Math.Sqrt(Math.Pow(caseDay.Slices.Count * caseDay.SliceThickness, 2) + Math.Pow(first.Height * first.SpacingY, 2)
            + Math.Pow(first.Width * first.SpacingX, 2));
    }

    /// <summary>A tiny grid study: ResNet-18 U-Net and FPN at 32×32, one epoch.</summary>
    private static string[] GridArguments(string data, string outPath, params string[] more) =>
    [
        "compare", "--data", data, "--out", outPath, "--encoder", "resnet18", "--image-size", "32x32", "--epochs", "1",
        "--batch-size", "4", "--loss", "dice", "--folds", "3", "--fold", "0", "--seed", "7", "--threads", "2", "--cache-mb", "16", .. more,
    ];

    [Fact]
    public void EveryArchitectureAndSizeIsTrainedOnNestedSubsetsAndReported()
    {
        var data = Synthesise(slices: 6, size: 32);
        var outPath = folder.Combine("study");
        var (stdout, stderr) = RunStudy("2 archs × 2 sizes", GridArguments(data.Root, outPath, "--modes", "2d", "--archs", "unet,fpn", "--train-sizes", "100%,1", "--json"));
        Assert.Contains("compare: mode 2d, arch fpn, 1 training case (4/4)", stderr);

        using var json = JsonDocument.Parse(stdout);
        var study = json.RootElement;
        Assert.Equal(["unet", "fpn"], study.GetProperty("archs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([2, 1], study.GetProperty("train_cases_per_size").EnumerateArray().Select(e => e.GetInt32()));
        var runs = study.GetProperty("modes").EnumerateArray().ToArray();
        Assert.Equal(["unet 2", "fpn 2", "unet 1", "fpn 1"],
            runs.Select(r => $"{r.GetProperty("study_arch").GetString()} {r.GetProperty("train_cases").GetInt32()}"));
        Assert.Equal(["unet", "fpn", "unet", "fpn"], runs.Select(r => r.GetProperty("arch").GetString()));

        var trained = runs.Select(r => RunFolder.Load(r.GetProperty("run").GetString()!)).ToArray();
        Assert.Equal(Path.Combine(outPath, "cases-1", "2d-fpn"), trained[3].Path);
        Assert.All(trained, r => Assert.Equal(trained[0].Info.ValidationCaseDays, r.Info.ValidationCaseDays));
        Assert.Equal(2, trained[0].Info.TrainCaseDays.Count);
        // The 1-case runs train on one of the 2-case runs' case-days, both architectures on the same one.
        Assert.Single(trained[2].Info.TrainCaseDays);
        Assert.Contains(trained[2].Info.TrainCaseDays[0], trained[0].Info.TrainCaseDays);
        Assert.Equal(trained[2].Info.TrainCaseDays, trained[3].Info.TrainCaseDays);
        Assert.Equal(1, trained[3].Config.TrainCases);
        foreach (var run in runs)
        {
            Assert.Equal(1, run.GetProperty("epochs_to_95_dice").GetInt32());
            Assert.True(run.GetProperty("seconds_to_95_dice").GetDouble() > 0);
            Assert.InRange(run.GetProperty("best_val_dice").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Null, run.GetProperty("train_peak_gpu_mb").ValueKind);
            Assert.True(run.GetProperty("infer_ms_per_case_day").GetDouble() > 0);
        }

        var markdown = File.ReadAllLines(Path.Combine(outPath, "compare.md"));
        Assert.Equal(4, markdown.Count(l => l.StartsWith("| 2d |", StringComparison.Ordinal)));
        Assert.Contains(markdown, l => l.StartsWith("| 2d | fpn | 1 |", StringComparison.Ordinal));
        var html = File.ReadAllText(Path.Combine(outPath, "report.html"));
        Assert.Contains("Validation Dice against training-set size", html);
        Assert.Equal(2, html.Split("<polyline").Length - 1);
        Assert.DoesNotContain("<script", html);
    }

    [Theory]
    [InlineData("2d,2.5d,3d", "--archs", "unet,fpn", "--archs fpn has no 3D network for mode 3d; leave 3d out of --modes, or pair it with one as fpn/unet3d.")]
    [InlineData("2d", "--archs", "unet,not-a-net", "--archs not-a-net: not-a-net (its 2D network for mode 2d) is not in this build's model zoo")]
    [InlineData("2d", "--train-sizes", "100%,20%", "--train-sizes 20% leaves no training case: the fold has 2 training case(s)")]
    [InlineData("2d", "--train-sizes", "3", "--train-sizes 3 asks for 3 training cases but the fold has 2")]
    [InlineData("2d", "--train-sizes", "100%,2", "--train-sizes 100%,2 gives 2 training cases twice")]
    public void ABadGridIsRefusedBeforeAnything(string modes, string option, string value, string message)
    {
        var data = Synthesise(slices: 6, size: 32);
        var outPath = folder.Combine("study");
        var (code, stdout, stderr) = CliRunner.Run(GridArguments(data.Root, outPath, "--modes", modes, option, value));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("epoch", stdout);
        Assert.False(Directory.Exists(outPath));
    }
}
