using System.Text.Json;
using MedSeg.Cli;

namespace MedSeg.Tests.Cli;

/// <summary>The <c>medseg</c> command end to end, in process, with stdout and stderr captured.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class CliTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-cli-{Guid.NewGuid():N}");

    public CliTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void SynthTrainPredictEvaluate()
    {
        string data = Path.Combine(root, "data"), run = Path.Combine(root, "run"), csv = Path.Combine(root, "sub.csv"), json = Path.Combine(root, "eval.json");
        Assert.Equal(0, Run("synth", "--layout", "uwmgi", "--out", data, "--cases", "3", "--days", "1", "--slices", "12", "--size", "64x64", "--seed", "5").Code);
        var train = Run("train", "--data", data, "--out", run, "--encoder", "resnet18", "--image-size", "64x64", "--epochs", "2",
            "--batch-size", "4", "--folds", "3", "--fold", "1", "--seed", "1",
            "--augment", "[{\"name\":\"flip\",\"axes\":[\"h\"]},{\"name\":\"shift_scale_rotate\",\"p\":0.5}]");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("best epoch", train.Out);
        Assert.Contains("shift_scale_rotate", File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.True(Directory.EnumerateFiles(Path.Combine(run, "oof"), "*.npy").Any(), "training writes out-of-fold probabilities");
        var tune = Run("tune", "--oof", run, "--data", data);
        Assert.True(tune.Code == 0, tune.Err);
        Assert.True(File.Exists(Path.Combine(run, "tuned.json")));
        string probabilities = Path.Combine(root, "probs"), overlays = Path.Combine(root, "overlays");
        var predict = Run("predict", "--model", run, "--data", data, "--out", csv, "--tta", "flip", "--threshold", "0.5,0.45,0.5",
            "--floor", "0.5", "--min-component", "3", "--fill-holes", "--slice-range", "2", "--min-pixels", "2",
            "--save-probabilities", probabilities, "--overlays", overlays);
        Assert.True(predict.Code == 0, predict.Err);
        Assert.Equal(3, Directory.EnumerateFiles(probabilities, "*.npy").Count());
        var lines = File.ReadAllLines(csv);
        Assert.Equal("id,class,predicted", lines[0]);
        Assert.Equal(3 * 12 * 3 + 1, lines.Length); // 3 case-days × 12 slices × 3 classes + header
        var evaluate = Run("evaluate", "--pred", csv, "--truth", data, "--json", json);
        Assert.True(evaluate.Code == 0, evaluate.Err);
        Assert.Contains("all-empty submission", evaluate.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var key in new[] { "metric", "score", "dice", "iou", "precision", "recall", "hausdorff", "hd95", "per_class", "per_case" })
        {
            Assert.True(doc.RootElement.TryGetProperty(key, out _), $"evaluate JSON lacks '{key}'");
        }
        Assert.Equal("uwmgi", doc.RootElement.GetProperty("metric").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("per_class").EnumerateObject().Count());
        Assert.Equal(3, doc.RootElement.GetProperty("per_case").EnumerateObject().Count());

        var again = Run("predict", "--model", run, "--data", data, "--out", csv);
        Assert.Equal(CommandLine.UserError, again.Code);
        Assert.Contains("already exists", again.Err);
    }

    [Fact]
    public void ThresholdCountMustMatchTheClasses()
    {
        string data = Path.Combine(root, "data"), run = Path.Combine(root, "run");
        Assert.Equal(0, Run("synth", "--out", data, "--cases", "3", "--days", "1", "--slices", "8", "--size", "64x64").Code);
        Assert.Equal(0, Run("train", "--data", data, "--out", run, "--encoder", "resnet18", "--image-size", "64x64", "--epochs", "1", "--folds", "3").Code);
        var (code, _, stderr) = Run("predict", "--model", run, "--data", data, "--out", Path.Combine(root, "p.csv"), "--threshold", "0.5,0.5");
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("--threshold", stderr);
        Assert.False(File.Exists(Path.Combine(root, "p.csv")));
    }

    [Fact]
    public void InfoJsonNamesVersionsAndDevices()
    {
        var (code, stdout, _) = Run("info", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.StartsWith("2.10", doc.RootElement.GetProperty("libtorch").GetString());
        Assert.Contains("cpu", doc.RootElement.GetProperty("devices").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(MedSeg.Tests.Torch.Native.LinuxX64FactAttribute.IsLinuxX64, doc.RootElement.GetProperty("scalar_lifetime_shim").GetBoolean());
    }

    [Fact]
    public void MissingDataFolderIsOneClearError()
    {
        var missing = Path.Combine(root, "nope");
        var (code, stdout, stderr) = Run("train", "--data", missing, "--out", Path.Combine(root, "run"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(missing, stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "run")));
    }

    [Fact]
    public void AMissingChannelFileOfAnNnUnetDatasetIsOneClearError()
    {
        var data = Path.Combine(root, "Dataset003_Mr");
        var grid = new MedSeg.Core.Volumes.VolumeGeometry(new MedSeg.Core.Volumes.VolumeShape(8, 8, 4), MedSeg.Core.Volumes.Affine.Identity);
        using (var writer = new MedSeg.Core.Data.NnUnetDatasetWriter(data, new MedSeg.Core.Data.NnUnetDatasetInfo(["T1", "FLAIR"], ["background", "lesion"], 0)))
        {
            writer.AddCase("mr_1", new MedSeg.Core.Volumes.Volume<float>(grid, 2), new MedSeg.Core.Volumes.Volume<ushort>(grid));
            writer.Commit();
        }
        var missing = Path.Combine(data, "imagesTr", "mr_1_0001.nii.gz");
        File.Delete(missing);
        var (code, stdout, stderr) = Run("train", "--data", data, "--out", Path.Combine(root, "run"));
        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(missing, stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "run")));
    }

    [Fact]
    public void ANonPositiveTargetSpacingIsOneErrorNamingTheOption()
    {
        var raw = Path.Combine(root, "raw");
        Assert.Equal(0, Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "2", "--days", "1", "--slices", "8", "--size", "32x32", "--spacing", "4x0.8x0.8").Code);
        var data = Path.Combine(raw, "Dataset500_SynthGI");
        var (code, stdout, stderr) = Run("train", "--data", data, "--out", Path.Combine(root, "run"), "--mode", "3d", "--arch", "unet3d", "--encoder", "none",
            "--patch", "8x32x32", "--target-spacing", "4x0x0.8");
        Assert.Equal(CommandLine.UserError, code);
        Assert.Empty(stdout);
        Assert.Contains("--target-spacing '4x0x0.8'", stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "run")));
    }

    [Fact]
    public void UnknownOptionIsAnError()
    {
        var (code, _, stderr) = Run("train", "--data", root, "--out", root, "--epoch", "3");
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("--epoch", stderr);
    }

    [Fact]
    public void UnreadableConfigNamesTheFile()
    {
        var config = Path.Combine(root, "bad.json");
        File.WriteAllText(config, "{ \"epochs\": \"many\" }");
        var (code, _, stderr) = Run("train", "--data", root, "--out", Path.Combine(root, "run"), "--config", config);
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains(config, stderr);
    }

    [Fact]
    public void BadOptionValueNamesTheOption()
    {
        var (code, _, stderr) = Run("train", "--data", root, "--out", Path.Combine(root, "run"), "--image-size", "100x100");
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains("--image-size", stderr);
        Assert.Contains("96x96", stderr);
    }
}
