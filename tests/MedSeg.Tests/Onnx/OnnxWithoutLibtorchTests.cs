using System.IO.Compression;
using System.Text.Json.Nodes;
using MedSeg.Cli;
using MedSeg.Core.IO;
using MedSeg.Tests.Cli;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// <c>predict --backend onnx</c> on model bundles, through MedSeg.Onnx: tiny runs trained here in 2D, 2.5D and 3D
/// (fp32, flips trained so TTA averages two views; the 3D run resampled to its target spacing and blended over
/// overlapping windows) give the TorchSharp backend's label maps; the CLI and a program that references only
/// MedSeg.Core and MedSeg.Onnx never map libtorch; a changed or incomplete bundle is one clear error.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class OnnxWithoutLibtorchTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-onnxfree-{Guid.NewGuid():N}");
    private readonly string dataset;

    public OnnxWithoutLibtorchTests()
    {
        Directory.CreateDirectory(root);
        var raw = Path.Combine(root, "raw");
        Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "2", "--days", "1", "--slices", "10", "--size", "40x48", "--seed", "3").Code);
        dataset = Path.Combine(raw, "Dataset500_SynthGI");
    }

    public void Dispose() => OnnxTestRuns.Clean(root);

    [Theory]
    [InlineData("2d", "--encoder resnet18 --image-size 32x32")]
    [InlineData("2.5d", "--encoder resnet18 --image-size 32x32 --in-slices 3 --slice-stride 1")]
    [InlineData("3d", "--arch unet3d --encoder none --features 8 --levels 2 --patch 8x16x16")]
    public void BundleLabelMapsEqualTheTorchBackend(string mode, string network)
    {
        var bundle = Bundle(mode, network);
        AssertSameLabelMaps(mode, Predict([bundle], "torch"), Predict([bundle], "onnx"));
    }

    /// <summary>A 2D and a 3D bundle weighted 0.7 / 0.3: two spacing groups (the 3D run's target spacing, the image's own grid) averaged by weight.</summary>
    [Fact]
    public void AWeightedEnsembleOfBundlesEqualsTheTorchBackend()
    {
        string[] bundles = [Bundle("2d", "--encoder resnet18 --image-size 32x32"), Bundle("3d", "--arch unet3d --encoder none --features 8 --levels 2 --patch 8x16x16")];
        AssertSameLabelMaps("ensemble", Predict(bundles, "torch", "--weights", "0.7,0.3"), Predict(bundles, "onnx", "--weights", "0.7,0.3"));
    }

    /// <summary>Shards 0/2 and 1/2 on the libtorch-free path hold disjoint cases, merge into the unsharded output, and a rerun of a finished shard does nothing.</summary>
    [Fact]
    public void TwoShardsTogetherEqualTheUnshardedOutput()
    {
        var bundle = Bundle("2d", "--encoder resnet18 --image-size 32x32");
        var whole = Predict([bundle], "onnx");
        var parts = new[] { "0/2", "1/2" }.Select(shard =>
        {
            var part = Path.Combine(root, $"shard{shard[0]}");
            var result = CliRunner.Run("predict", "--model", bundle, "--data", dataset, "--out", part, "--backend", "onnx", "--shard", shard);
            Assert.True(result.Code == 0, result.Err);
            return part;
        }).ToArray();
        var files = parts.Select(p => Directory.GetFiles(p, "*.nii.gz").Select(Path.GetFileName).ToArray()).ToArray();
        Assert.True(files.All(f => f.Length == 1), "each of the two shards holds one of the two cases");
        Assert.Empty(files[0].Intersect(files[1]));
        var rerun = CliRunner.Run("predict", "--model", bundle, "--data", dataset, "--out", parts[0], "--backend", "onnx", "--shard", "0/2");
        Assert.Contains("already complete", rerun.Out);
        var merged = Path.Combine(root, "merged");
        var merge = CliRunner.Run("merge", parts[0], parts[1], "--out", merged);
        Assert.True(merge.Code == 0, merge.Err);
        var expected = Directory.GetFiles(whole, "*.nii.gz").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(expected, Directory.GetFiles(merged, "*.nii.gz").Select(Path.GetFileName).Order().ToArray());
        foreach (var file in expected)
        {
            Assert.Equal(Nifti.ReadLabels(Path.Combine(whole, file!)).Voxels, Nifti.ReadLabels(Path.Combine(merged, file!)).Voxels);
        }
    }

    private static void AssertSameLabelMaps(string what, string torch, string onnx)
    {
        var files = Directory.GetFiles(torch, "*.nii.gz");
        Assert.Equal(2, files.Length);
        long voxels = 0, differing = 0, foreground = 0;
        foreach (var file in files)
        {
            var expected = Nifti.ReadLabels(file).Voxels;
            var actual = Nifti.ReadLabels(Path.Combine(onnx, Path.GetFileName(file))).Voxels;
            Assert.Equal(expected.Length, actual.Length);
            voxels += expected.Length;
            differing += expected.Zip(actual).Count(p => p.First != p.Second);
            foreground += expected.Count(v => v != 0);
        }
        Assert.True(foreground > 0, $"{what}: the torch backend predicted no foreground, so the comparison shows nothing");
        // The networks' outputs agree to ~1e-5 (ONNX Runtime's kernels vs libtorch's, fp32); a voxel whose probability
        // lies that close to the threshold may flip, and nothing else may differ.
        Assert.True(differing <= voxels / 1000, $"{what}: {differing} of {voxels} voxels differ between the backends");
    }

    [Fact]
    public void TheCliAndAProgramOnMedSegOnnxNeverMapLibtorch()
    {
        var bundle = Bundle("2d", "--encoder resnet18 --image-size 32x32");
        var image = Directory.GetFiles(Path.Combine(dataset, "imagesTr"), "*_0000.nii.gz").Order().First();

        // The dynamic linker lists every shared object a process maps (dlopen included): the onnx path maps none of libtorch's.
        var onnxLibraries = LoadedLibraries("onnx", bundle);
        Assert.Contains(onnxLibraries, l => l.Contains("libonnxruntime", StringComparison.Ordinal));
        Assert.False(OnnxTestRuns.MapsLibtorch(onnxLibraries));
        Assert.True(OnnxTestRuns.MapsLibtorch(LoadedLibraries("torch", bundle)));

        var sample = Path.Combine(Repository(), "samples", "SegmentNiftiOnnx", "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(sample, "SegmentNiftiOnnx.dll")), $"{sample} is built with the solution");
        var shipped = Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToArray();
        Assert.DoesNotContain(shipped, f => f!.Contains("torch", StringComparison.OrdinalIgnoreCase));
        var output = Path.Combine(root, "sample-labels");
        var (code, stdout, stderr) = OnnxTestRuns.Process([Path.Combine(sample, "SegmentNiftiOnnx.dll"), bundle, image, output]);
        Assert.True(code == 0, stderr);
        Assert.Contains("1 label map(s)", stdout);
        Assert.Contains("libtorch loaded: no", stdout);
        var caseId = Path.GetFileName(image)[..^"_0000.nii.gz".Length];
        Assert.Equal(Nifti.ReadHeader(image).Shape, Nifti.ReadHeader(Path.Combine(output, caseId + ".nii.gz")).Shape);
    }

    [Fact]
    public void AChangedOrIncompleteBundleIsOneClearError()
    {
        var bundle = Bundle("2d", "--encoder resnet18 --image-size 32x32");
        var changed = Copy(bundle, "changed.zip", zip => BundleEdits.Replace(zip, "model.onnx", [1, 2, 3]));
        Assert.Contains("member model.onnx does not match its SHA-256", Refusal(changed));
        var missing = Copy(bundle, "missing.zip", zip => zip.GetEntry("model.onnx")!.Delete());
        Assert.Contains("member model.onnx listed in manifest.json is missing", Refusal(missing));
        // A bundle whose manifest was rewritten without model.onnx (e.g. by a hand-made tool) still names what is missing.
        var unlisted = Copy(bundle, "unlisted.zip", zip =>
        {
            zip.GetEntry("model.onnx")!.Delete();
            var manifest = JsonNode.Parse(BundleEdits.Read(zip, "manifest.json"))!;
            manifest["sha256"]!.AsObject().Remove("model.onnx");
            BundleEdits.Replace(zip, "manifest.json", manifest.ToJsonString());
        });
        Assert.Contains("has no model.onnx", Refusal(unlisted));

        string Refusal(string path)
        {
            var output = Path.Combine(root, Path.GetFileNameWithoutExtension(path));
            var result = CliRunner.Run("predict", "--model", path, "--data", dataset, "--out", output, "--backend", "onnx");
            Assert.Equal(CommandLine.UserError, result.Code);
            Assert.False(Directory.Exists(output));
            Assert.Single(result.Err.Trim().Split('\n'));
            return result.Err;
        }
    }

    /// <summary>A one-epoch fp32 run of <paramref name="mode"/> on the NIfTI dataset, exported as a bundle.</summary>
    private string Bundle(string mode, string network) => OnnxTestRuns.Bundle(root, dataset, mode, $"--mode {mode} {network}");

    private string Predict(string[] bundles, string backend, params string[] options)
    {
        var output = Path.Combine(root, $"{string.Join("+", bundles.Select(Path.GetFileNameWithoutExtension))}-{backend}");
        var predict = CliRunner.Run(["predict", .. bundles.SelectMany(b => new[] { "--model", b }), "--data", dataset, "--out", output, "--backend", backend, .. options]);
        Assert.True(predict.Code == 0, predict.Err);
        return output;
    }

    /// <summary>The shared objects a <c>medseg predict</c> process on <paramref name="backend"/> mapped.</summary>
    private string[] LoadedLibraries(string backend, string bundle) =>
        OnnxTestRuns.LoadedLibraries(root, $"ld-{backend}", "predict", "--model", bundle, "--data", dataset, "--out", Path.Combine(root, $"ld-labels-{backend}"), "--backend", backend);

    private static string Repository()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "MedSeg.slnx")))
        {
            repository = Path.GetDirectoryName(repository.TrimEnd('/')) ?? throw new InvalidOperationException("the repository root was not found above the test binaries");
        }
        return repository;
    }

    private string Copy(string bundle, string name, Action<ZipArchive> change) => BundleEdits.Copy(bundle, Path.Combine(root, name), change);
}
