using System.IO.Compression;
using System.Text.Json.Nodes;
using MedSeg.Cli;
using MedSeg.Torch.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Cli;

/// <summary>
/// <c>medseg export</c> on a real run folder: a <c>--fold all</c> run becomes one ONNX graph whose probabilities are the
/// folds' average; <c>predict --backend onnx</c> on the same run gives TorchSharp's probabilities; a bundle of the
/// run predicts as the run does and refuses tampering.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class ExportCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-export-{Guid.NewGuid():N}");

    public ExportCommandTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void FoldAllRunExportsAsOneAveragedGraph()
    {
        string data = Path.Combine(root, "data"), run = Path.Combine(root, "run"), onnx = Path.Combine(root, "model.onnx");
        Assert.Equal(0, CliRunner.Run("synth", "--out", data, "--cases", "2", "--days", "1", "--slices", "6", "--size", "40x48", "--seed", "3").Code);
        var train = CliRunner.Run("train", "--data", data, "--out", run, "--encoder", "resnet18", "--image-size", "32x32", "--epochs", "1",
            "--batch-size", "4", "--folds", "2", "--fold", "all", "--seed", "1");
        Assert.True(train.Code == 0, train.Err);

        var export = CliRunner.Run("export", "--model", run, "--out", onnx);
        Assert.True(export.Code == 0, export.Err);
        Assert.Contains("2 models (averaged)", export.Out);

        using var session = new InferenceSession(onnx);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(string.Join(",", RunFolder.Load(RunFolder.Expand(run)[0]).Info.Classes), metadata["classes"]);
        Assert.Equal("sigmoid", metadata["activation"]);
        Assert.Equal("per-image-max", metadata["normalisation"]);
        random.manual_seed(11);
        var channels = session.InputMetadata["image"].Dimensions[1];
        using var x = rand(1, channels, 64, 96);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", new DenseTensor<float>(x.data<float>().ToArray(), [1, channels, 64, 96]))]);
        var got = results.Single(r => r.Name == "probabilities").AsTensor<float>().ToArray();

        using var scope = NewDisposeScope();
        var folds = RunFolder.Expand(run).Select(p => RunFolder.Load(p).LoadModel(CPU)).ToArray();
        Tensor expected;
        using (no_grad())
        {
            expected = stack(folds.Select(m => m.call(x).sigmoid()), 0).mean([0]);
        }
        var want = expected.data<float>().ToArray();
        Assert.True(want.Zip(got, (a, b) => Math.Abs(a - b)).Max() < 1e-4, "ONNX Runtime's probabilities equal the mean of the folds' sigmoids");
        foreach (var model in folds)
        {
            model.Dispose();
        }

        var again = CliRunner.Run("export", "--model", run, "--out", onnx);
        Assert.Equal(CommandLine.UserError, again.Code);
        Assert.Contains("already exists", again.Err);
        var wrongName = CliRunner.Run("export", "--model", run, "--out", Path.Combine(root, "model.pt"));
        Assert.Equal(CommandLine.UserError, wrongName.Code);
        Assert.Contains("*.onnx", wrongName.Err);

        PredictionsAgreeAcrossBackends(run, data);
        BundlePredictsLikeItsRunAndRefusesTampering(run, data);
    }

    /// <summary>A bundle predicts exactly as the run folder it came from; a changed, added or newer-format bundle is refused by name.</summary>
    private void BundlePredictsLikeItsRunAndRefusesTampering(string run, string data)
    {
        var bundle = Path.Combine(root, "model.zip");
        var export = CliRunner.Run("export", "--model", run, "--out", bundle, "--data", data);
        Assert.True(export.Code == 0, export.Err);
        using (var zip = ZipFile.OpenRead(bundle))
        {
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (var member in new[] { "manifest.json", "model.onnx", "MODEL_CARD.md", "fingerprint.json", "run/fold_0/model.safetensors", "run/fold_1/config.json" })
            {
                Assert.Contains(member, names);
            }
        }
        var fromRun = CliRunner.Run("predict", "--model", run, "--data", data, "--out", Path.Combine(root, "run.csv"));
        var fromBundle = CliRunner.Run("predict", "--model", bundle, "--data", data, "--out", Path.Combine(root, "bundle.csv"));
        Assert.True(fromBundle.Code == 0, fromBundle.Err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "run.csv")), File.ReadAllBytes(Path.Combine(root, "bundle.csv")));
        // The post-processing the run decided on validation travels in the bundle, and predict says the same about both.
        static string PostProcessingNote(string output) => Assert.Single(output.Split('\n'), l => l.StartsWith("post-processing:", StringComparison.Ordinal));
        Assert.Equal(PostProcessingNote(fromRun.Out), PostProcessingNote(fromBundle.Out));
        Assert.DoesNotContain("has no postprocessing.json", fromBundle.Out, StringComparison.Ordinal);
        var unpacked = Path.GetDirectoryName(MedSeg.Torch.Export.ModelBundle.Resolve(bundle))!;
        Assert.True(Directory.Exists(Path.Combine(unpacked, "run")), "predict unpacked the bundle into its cache folder");
        Directory.Delete(unpacked, recursive: true); // the cache is shared by every bundle a user predicts with: leave none of the test's behind

        var tampered = Copy(bundle, "tampered.zip", zip => Replace(zip, "run/fold_1/config.json", "{}"));
        Assert.Contains("member run/fold_1/config.json does not match its SHA-256", Refusal(tampered));
        var added = Copy(bundle, "added.zip", zip => zip.CreateEntry("run/extra.py"));
        Assert.Contains("member run/extra.py is not listed", Refusal(added));
        var newer = Copy(bundle, "newer.zip", zip =>
        {
            var manifest = JsonNode.Parse(Read(zip, "manifest.json"))!;
            manifest["format_version"] = 99;
            Replace(zip, "manifest.json", manifest.ToJsonString());
        });
        Assert.Contains("newer than this MedSeg reads", Refusal(newer));

        string Refusal(string path)
        {
            var output = Path.Combine(root, Path.GetFileNameWithoutExtension(path) + ".csv");
            var result = CliRunner.Run("predict", "--model", path, "--data", data, "--out", output);
            Assert.Equal(CommandLine.UserError, result.Code);
            Assert.False(File.Exists(output));
            return result.Err;
        }
    }

    private string Copy(string bundle, string name, Action<ZipArchive> change) => BundleEdits.Copy(bundle, Path.Combine(root, name), change);

    private static string Read(ZipArchive zip, string member) => BundleEdits.Read(zip, member);

    private static void Replace(ZipArchive zip, string member, string text) => BundleEdits.Replace(zip, member, text);

    /// <summary><c>predict --backend onnx</c> runs the same pipeline with ONNX Runtime computing the networks: the same probabilities (to float16 storage precision).</summary>
    private void PredictionsAgreeAcrossBackends(string run, string data)
    {
        var probabilities = new Dictionary<string, string>();
        foreach (var backend in new[] { "torch", "onnx" })
        {
            probabilities[backend] = Path.Combine(root, $"probs-{backend}");
            var predict = CliRunner.Run("predict", "--model", run, "--data", data, "--out", Path.Combine(root, $"{backend}.csv"), "--tta", "flip",
                "--backend", backend, "--save-probabilities", probabilities[backend]);
            Assert.True(predict.Code == 0, predict.Err);
        }
        var files = Directory.GetFiles(probabilities["torch"], "*.npy");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var torchValues = MedSeg.Core.IO.NpyFile.Read(file, out var shape);
            var onnxValues = MedSeg.Core.IO.NpyFile.Read(Path.Combine(probabilities["onnx"], Path.GetFileName(file)), out var onnxShape);
            Assert.Equal(shape, onnxShape);
            Assert.True(torchValues.Zip(onnxValues, (a, b) => Math.Abs(a - b)).Max() <= 1e-3, $"{Path.GetFileName(file)}: probabilities differ between backends");
        }
        var wrongDevice = CliRunner.Run("predict", "--model", run, "--data", data, "--out", Path.Combine(root, "x.csv"), "--backend", "onnx", "--device", "cuda");
        Assert.Equal(CommandLine.UserError, wrongDevice.Code);
        Assert.False(File.Exists(Path.Combine(root, "x.csv")));
    }
}
