using MedSeg.Core.IO;
using MedSeg.Tests.Cli;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// <c>predict --backend onnx</c> on UW-Madison data with bundles, through MedSeg.Onnx: the submissions of tiny 2D and
/// 2.5D runs, and of a weighted ensemble with the empty-slice gate, test-time flips, floor and clean-up, equal the
/// TorchSharp backend's; the gate's decisions match slice by slice; the process never maps libtorch; the gate given as
/// a model is refused.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class OnnxSubmissionTests(OnnxSubmissionTests.Bundles bundles) : IClassFixture<OnnxSubmissionTests.Bundles>
{
    private const int Height = 40;
    private const int Width = 48;

    /// <summary>A synthetic UW-Madison set and the bundles of a 2D run, a 2.5D run and a gate classifier trained on it, made once for the class.</summary>
    public sealed class Bundles : IDisposable
    {
        public Bundles()
        {
            Directory.CreateDirectory(Root);
            Data = Path.Combine(Root, "data");
            Assert.Equal(0, CliRunner.Run("synth", "--layout", "uwmgi", "--out", Data, "--cases", "2", "--days", "1", "--slices", "8", "--size", $"{Height}x{Width}", "--seed", "3").Code);
            TwoD = OnnxTestRuns.Bundle(Root, Data, "2d", "--mode 2d --encoder resnet18 --image-size 32x32");
            TwoAndAHalfD = OnnxTestRuns.Bundle(Root, Data, "2.5d", "--mode 2.5d --encoder resnet18 --image-size 32x32 --in-slices 3 --slice-stride 1");
            Gate = OnnxTestRuns.Bundle(Root, Data, "gate", "--arch classifier --loss bce --encoder resnet18 --image-size 32x32", epochs: 3);
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"medseg-onnxsub-{Guid.NewGuid():N}");

        public string Data { get; }

        public string TwoD { get; }

        public string TwoAndAHalfD { get; }

        public string Gate { get; }

        public void Dispose() => OnnxTestRuns.Clean(Root);
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("2.5d")]
    public void BundleSubmissionsEqualTheTorchBackend(string mode)
    {
        var bundle = mode == "2d" ? bundles.TwoD : bundles.TwoAndAHalfD;
        AssertSameSubmission(mode, Predict("torch", mode, "--model", bundle), Predict("onnx", mode, "--model", bundle));
    }

    [Fact]
    public void AGatedWeightedEnsembleWithCleanUpEqualsTheTorchBackend()
    {
        string[] options = ["--model", bundles.TwoD, "--model", bundles.TwoAndAHalfD, "--weights", "0.6,0.4", "--gate", bundles.Gate, "--tta", "flip",
            "--floor", "0.3", "--min-pixels", "4", "--keep-largest"];
        var torch = Predict("torch", "ensemble", [.. options, "--save-probabilities", Path.Combine(bundles.Root, "p-torch"), "--overlays", Path.Combine(bundles.Root, "o-torch")]);
        var onnx = Predict("onnx", "ensemble", [.. options, "--save-probabilities", Path.Combine(bundles.Root, "p-onnx"), "--overlays", Path.Combine(bundles.Root, "o-onnx")]);
        AssertSameSubmission("gated ensemble", torch, onnx);
        Assert.Equal(Names(Path.Combine(bundles.Root, "p-torch")), Names(Path.Combine(bundles.Root, "p-onnx")));
        Assert.Equal(Names(Path.Combine(bundles.Root, "o-torch")), Names(Path.Combine(bundles.Root, "o-onnx")));
    }

    /// <summary>Threshold 0 marks every pixel, so a slice-class is empty exactly where the gate called it absent: the two backends' gates decide alike.</summary>
    [Fact]
    public void TheGateDecidesTheSameSlicesOnBothBackends()
    {
        string[] options = ["--model", bundles.TwoD, "--gate", bundles.Gate, "--threshold", "0", "--postprocess", "none"];
        var torch = SubmissionCsv.Read(Predict("torch", "gate", options));
        var onnx = SubmissionCsv.Read(Predict("onnx", "gate", options));
        Assert.Equal(torch.Select(r => (r.Id, r.ClassName, r.Rle == "")), onnx.Select(r => (r.Id, r.ClassName, r.Rle == "")));
        var emptied = torch.Count(r => r.Rle == "");
        Assert.True(emptied > 0 && emptied < torch.Count, $"the gate emptied {emptied} of {torch.Count} slice-classes; some but not all should be");
    }

    [Fact]
    public void AGatedSubmissionNeverMapsLibtorch()
    {
        string[] predict = ["predict", "--model", bundles.TwoD, "--gate", bundles.Gate, "--threshold", "0", "--postprocess", "none", "--data", bundles.Data];
        var onnx = OnnxTestRuns.LoadedLibraries(bundles.Root, "ld-onnx", [.. predict, "--out", Path.Combine(bundles.Root, "ld-onnx.csv"), "--backend", "onnx"]);
        Assert.Contains(onnx, l => l.Contains("libonnxruntime", StringComparison.Ordinal));
        Assert.False(OnnxTestRuns.MapsLibtorch(onnx));
        Assert.True(OnnxTestRuns.MapsLibtorch(OnnxTestRuns.LoadedLibraries(bundles.Root, "ld-torch", [.. predict, "--out", Path.Combine(bundles.Root, "ld-torch.csv")])));
        AssertSameSubmission("separate processes", Path.Combine(bundles.Root, "ld-torch.csv"), Path.Combine(bundles.Root, "ld-onnx.csv"));
    }

    /// <summary>The gate's bundle given as --model is one error line naming the file and the fix (--gate); nothing is written.</summary>
    [Fact]
    public void AClassifierBundleAsModelIsOneClearError()
    {
        var output = Path.Combine(bundles.Root, "classifier-as-model.csv");
        var result = CliRunner.Run("predict", "--model", bundles.Gate, "--data", bundles.Data, "--out", output, "--backend", "onnx");
        Assert.Equal(MedSeg.Cli.CommandLine.UserError, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains($"--model {bundles.Gate} is a classification model; pass it as --gate {bundles.Gate}", result.Err);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(bundles.Root, "classifier-as-model*"));
    }

    /// <summary>The same rows in the same order, and masks that differ in at most 0.1 % of the pixels.</summary>
    private static void AssertSameSubmission(string what, string torchCsv, string onnxCsv)
    {
        var torch = SubmissionCsv.Read(torchCsv);
        var onnx = SubmissionCsv.Read(onnxCsv);
        Assert.Equal(torch.Select(r => (r.Id, r.ClassName)), onnx.Select(r => (r.Id, r.ClassName)));
        long differing = 0, foreground = 0;
        foreach (var (expected, actual) in torch.Zip(onnx))
        {
            var a = Rle.Decode(expected.Rle, Height, Width, torchCsv);
            var b = Rle.Decode(actual.Rle, Height, Width, onnxCsv);
            differing += a.Zip(b).Count(p => p.First != p.Second);
            foreground += a.Count(v => v != 0);
        }
        var pixels = (long)torch.Count * Height * Width;
        Assert.True(foreground > 0, $"{what}: the torch backend predicted no foreground, so the comparison shows nothing");
        // The networks agree to ~1e-5 (ONNX Runtime's kernels vs libtorch's, fp32): a pixel that close to the threshold may flip.
        Assert.True(differing <= pixels / 1000, $"{what}: {differing} of {pixels} pixels differ between the backends");
    }

    private string Predict(string backend, string name, params string[] options)
    {
        var output = Path.Combine(bundles.Root, $"{name}-{backend}.csv");
        var predict = CliRunner.Run(["predict", .. options, "--data", bundles.Data, "--out", output, "--backend", backend]);
        Assert.True(predict.Code == 0, predict.Err);
        return output;
    }

    private static string[] Names(string folder) => [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).OfType<string>()];
}
