using MedSeg.Cli;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Cli;
using Xunit.Abstractions;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// <c>predict --backend onnx</c> on a folder dataset (CamVid-like, RGB, exclusive classes) with a bundle, through
/// MedSeg.Onnx: a tiny softmax run's index maps, at the images' own size (30×34, the network sees 32×32), equal the
/// TorchSharp backend's with the trained flips, with all eight views over a weighted ensemble and in shards; the
/// process never maps libtorch; the folder run on NIfTI data is one clear error.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class OnnxFolderTests(OnnxFolderTests.FolderBundle fixture, ITestOutputHelper output) : IClassFixture<OnnxFolderTests.FolderBundle>
{
    private const int Height = 30;
    private const int Width = 34;

    /// <summary>A synthetic folder dataset of 3 classes and the bundle of a 3-epoch run trained on it, made once for the class.</summary>
    public sealed class FolderBundle : IDisposable
    {
        public FolderBundle()
        {
            Directory.CreateDirectory(Root);
            Data = Path.Combine(Root, "data");
            FolderSynth.Write(Data, new FolderSynthOptions(Images: 8, Height: Height, Width: Width, Classes: 3, Seed: 5));
            Bundle = OnnxTestRuns.Bundle(Root, Data, "folder", "--encoder resnet18 --image-size 32x32", epochs: 3);
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"medseg-onnxfolder-{Guid.NewGuid():N}");

        public string Data { get; }

        public string Bundle { get; }

        public void Dispose() => OnnxTestRuns.Clean(Root);
    }

    /// <summary>The onnx prediction runs as its own process, whose shared objects the dynamic linker lists: none of libtorch's.</summary>
    [Fact]
    public void IndexMapsEqualTheTorchBackendAndNeverMapLibtorch()
    {
        var onnx = Path.Combine(fixture.Root, "maps-onnx");
        var libraries = OnnxTestRuns.LoadedLibraries(fixture.Root, "ld-folder", "predict", "--model", fixture.Bundle, "--data", fixture.Data, "--out", onnx, "--backend", "onnx");
        Assert.Contains(libraries, l => l.Contains("libonnxruntime", StringComparison.Ordinal));
        Assert.False(OnnxTestRuns.MapsLibtorch(libraries));
        AssertSameIndexMaps("trained flips", Predict("torch", "flips"), onnx);
    }

    [Fact]
    public void AWeightedEnsembleWithEveryViewEqualsTheTorchBackend()
    {
        string[] options = ["--model", fixture.Bundle, "--model", fixture.Bundle, "--weights", "0.7,0.3", "--tta", "all", "--batch-size", "3"];
        AssertSameIndexMaps("eight views, two members", Predict("torch", "all", options), Predict("onnx", "all", options));
    }

    [Fact]
    public void TwoShardsTogetherHoldTheUnshardedIndexMaps()
    {
        var whole = Predict("onnx", "whole");
        var parts = new[] { "0/2", "1/2" }.Select(shard => Predict("onnx", $"shard{shard[0]}", "--shard", shard)).ToArray();
        var merged = Path.Combine(fixture.Root, "merged");
        var merge = CliRunner.Run("merge", parts[0], parts[1], "--out", merged);
        Assert.True(merge.Code == 0, merge.Err);
        var names = Directory.GetFiles(whole, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(8, names.Length);
        Assert.Equal(names, Directory.GetFiles(merged, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, name!)), File.ReadAllBytes(Path.Combine(merged, name!)));
        }
    }

    /// <summary>The folder bundle on NIfTI data: one error line naming the model and what it was trained on; no output.</summary>
    [Fact]
    public void AFolderBundleOnOtherDataIsOneClearError()
    {
        var raw = Path.Combine(fixture.Root, "nifti");
        Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "1", "--days", "1", "--slices", "4", "--size", "32x32", "--seed", "3").Code);
        var output = Path.Combine(fixture.Root, "nifti-maps");
        var result = CliRunner.Run("predict", "--model", fixture.Bundle, "--data", Path.Combine(raw, "Dataset500_SynthGI"), "--out", output, "--backend", "onnx");
        Assert.Equal(CommandLine.UserError, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains($"--model {fixture.Bundle} was trained on a folder dataset", result.Err);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Every image has a map of its own size in both folders; at least two classes are predicted; at most 0.1 % of the pixels differ.</summary>
    private void AssertSameIndexMaps(string what, string torch, string onnx)
    {
        var files = Directory.GetFiles(torch, "*.png");
        Assert.Equal(8, files.Length);
        long pixels = 0, differing = 0;
        var predicted = new HashSet<ushort>();
        foreach (var file in files)
        {
            var expected = RasterImage.Read(file);
            var actual = RasterImage.Read(Path.Combine(onnx, Path.GetFileName(file)));
            Assert.Equal((Height, Width, 1), (expected.Height, expected.Width, expected.Channels));
            Assert.Equal((Height, Width, 1), (actual.Height, actual.Width, actual.Channels));
            pixels += expected.Pixels.Length;
            differing += expected.Pixels.Zip(actual.Pixels).Count(p => p.First != p.Second);
            predicted.UnionWith(expected.Pixels);
        }
        output.WriteLine($"{what}: {differing} of {pixels} pixels differ; classes predicted: {string.Join(",", predicted.Order())}");
        Assert.True(predicted.Count >= 2, $"{what}: the torch backend predicted only class {string.Join(",", predicted)}, so the comparison shows little");
        // The networks agree to ~1e-5 (ONNX Runtime's kernels vs libtorch's, fp32): only a pixel whose two most probable
        // classes lie that close may flip.
        Assert.True(differing <= pixels / 1000, $"{what}: {differing} of {pixels} pixels differ between the backends");
    }

    private string Predict(string backend, string name, params string[] options)
    {
        var output = Path.Combine(fixture.Root, $"{name}-{backend}");
        var predict = CliRunner.Run(["predict", .. options.Contains("--model") ? options : ["--model", fixture.Bundle, .. options], "--data", fixture.Data, "--out", output,
            "--backend", backend]);
        Assert.True(predict.Code == 0, predict.Err);
        return output;
    }
}
