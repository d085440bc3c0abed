using System.Diagnostics;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Cli;

/// <summary>
/// <c>samples/SegmentNifti</c>, the program that shows how to embed MedSeg, built with the solution and run as its own
/// process on a NIfTI file with a run trained here: it writes a label map on the image's grid, with either backend.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class SampleProgramTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-sample-{Guid.NewGuid():N}");

    public SampleProgramTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void SegmentsANiftiFileWithTheLibrary()
    {
        string raw = Path.Combine(root, "raw"), run = Path.Combine(root, "run");
        Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "2", "--days", "1", "--slices", "6", "--size", "48x40", "--seed", "2").Code);
        var dataset = Path.Combine(raw, "Dataset500_SynthGI");
        var train = CliRunner.Run("train", "--data", dataset, "--out", run, "--encoder", "resnet18", "--image-size", "32x32", "--epochs", "1", "--batch-size", "4");
        Assert.True(train.Code == 0, train.Err);
        var image = Directory.GetFiles(Path.Combine(dataset, "imagesTr"), "*_0000.nii.gz").Order().First();
        var caseId = Path.GetFileName(image)[..^"_0000.nii.gz".Length];
        foreach (var backend in new[] { "torch", "onnx" })
        {
            var output = Path.Combine(root, $"labels-{backend}");
            var (code, stdout, stderr) = RunSample(run, image, output, backend);
            Assert.True(code == 0, stderr);
            Assert.Contains("1 label map(s)", stdout);
            var labels = Nifti.ReadHeader(Path.Combine(output, caseId + ".nii.gz"));
            Assert.Equal(Nifti.ReadHeader(image).Shape, labels.Shape);
        }
        Assert.Equal(2, RunSample(run).Code);
    }

    private static (int Code, string Out, string Err) RunSample(params string[] args)
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "MedSeg.slnx")))
        {
            repository = Path.GetDirectoryName(repository.TrimEnd('/')) ?? throw new InvalidOperationException("the repository root was not found above the test binaries");
        }
        var sample = Path.Combine(repository, "samples", "SegmentNifti", "bin", "Release", "net10.0", "SegmentNifti.dll");
        Assert.True(File.Exists(sample), $"{sample} is built with the solution");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args.Prepend(sample))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
