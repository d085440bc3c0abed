using System.Text.RegularExpressions;
using MedSeg.Core.IO;
using MedSeg.Tests.Cli;
using MedSeg.Tests.Core.Dicom;
using Xunit.Abstractions;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// <c>predict --backend onnx --format dicom-seg</c> on a DICOM series (a synthetic MRI case written by DCMTK) with a
/// bundle, through MedSeg.Onnx: the segmentation, read back by DCMTK and GDCM's tools (not by MedSeg), names the same
/// segments and marks the same voxels of the same source slices as the TorchSharp backend's, and the process never
/// maps libtorch.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed partial class OnnxDicomSegTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-onnxseg-").FullName;

    public void Dispose() => OnnxTestRuns.Clean(root);

    [DcmtkFact("gdcmraw")]
    public void TheSegmentationEqualsTheTorchBackendsAndNeverMapsLibtorch()
    {
        var raw = Path.Combine(root, "raw");
        Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "2", "--days", "1", "--slices", "10", "--size", "40x48", "--seed", "3").Code);
        var dataset = Path.Combine(raw, "Dataset500_SynthGI");
        var bundle = OnnxTestRuns.Bundle(root, dataset, "2d", "--mode 2d --encoder resnet18 --image-size 32x32");
        var image = Nifti.ReadImage(Directory.GetFiles(Path.Combine(dataset, "imagesTr"), "*_0000.nii.gz").Order(StringComparer.Ordinal).First());
        var study = Path.Combine(root, "study");
        new DicomSeriesWriter { ShuffleSeed = 3 }.Write(image, Path.Combine(study, "mr"));
        string[] predict = ["predict", "--model", bundle, "--data", study, "--format", "dicom-seg"];

        var torch = Path.Combine(root, "seg-torch");
        var result = CliRunner.Run([.. predict, "--out", torch]);
        Assert.True(result.Code == 0, result.Err);
        var onnx = Path.Combine(root, "seg-onnx");
        var libraries = OnnxTestRuns.LoadedLibraries(root, "ld-seg", [.. predict, "--out", onnx, "--backend", "onnx"]);
        Assert.False(OnnxTestRuns.MapsLibtorch(libraries));

        var seg = Path.GetFileName(Assert.Single(Directory.GetFiles(torch, "*.dcm")));
        Assert.Equal([seg], Directory.GetFiles(onnx).Select(Path.GetFileName));
        var plane = image.Shape.X * image.Shape.Y;
        var (torchSegments, torchFrames) = Read(Path.Combine(torch, seg), plane);
        var (onnxSegments, onnxFrames) = Read(Path.Combine(onnx, seg), plane);
        Assert.Equal(torchSegments, onnxSegments);
        Assert.NotEmpty(torchFrames);
        var empty = new bool[plane];
        long differing = 0, foreground = 0;
        foreach (var frame in torchFrames.Keys.Union(onnxFrames.Keys))
        {
            var expected = torchFrames.GetValueOrDefault(frame, empty);
            var actual = onnxFrames.GetValueOrDefault(frame, empty);
            differing += expected.Zip(actual).Count(p => p.First != p.Second);
            foreground += expected.Count(b => b);
        }
        var voxels = (long)torchSegments.Length * image.Shape.Z * plane;
        output.WriteLine($"{torchFrames.Count} / {onnxFrames.Count} frames (torch / onnx), {foreground} marked voxels; {differing} of {voxels} voxels differ");
        Assert.True(torchFrames.Values.Any(f => f.Contains(true) && f.Contains(false)), "every frame of the torch backend's segmentation is all marked, so the comparison shows little");
        // The networks agree to ~1e-5 (fp32): only a voxel that close to the threshold may flip.
        Assert.True(differing <= voxels / 1000, $"{differing} of {voxels} voxels differ between the backends' segmentations");
    }

    /// <summary>
    /// A SEG as DCMTK's <c>dcmdump</c> and GDCM's <c>gdcmraw</c> read it: the segment labels, and each frame's bits
    /// keyed by (segment number, source SOP instance UID).
    /// </summary>
    private (string[] Segments, Dictionary<(int Segment, string Source), bool[]> Frames) Read(string seg, int plane)
    {
        var dump = DicomSeriesWriter.Run("dcmdump", "-q", seg);
        var segments = SegmentLabel().Matches(dump).Select(m => m.Groups[1].Value).ToArray();
        var perFrame = dump[dump.IndexOf("PerFrameFunctionalGroupsSequence", StringComparison.Ordinal)..];
        var numbers = SegmentNumber().Matches(perFrame).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var sources = SourceInstance().Matches(perFrame).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(numbers.Length, sources.Length);
        var pixels = Path.Combine(root, Path.GetFileName(Path.GetDirectoryName(seg)) + ".raw");
        DicomSeriesWriter.Run("gdcmraw", "-i", seg, "-o", pixels, "-t", "7fe0,0010");
        var bytes = File.ReadAllBytes(pixels);
        var frames = new Dictionary<(int, string), bool[]>();
        for (var f = 0; f < numbers.Length; f++)
        {
            frames.Add((numbers[f], sources[f]), [.. Enumerable.Range(f * plane, plane).Select(b => (bytes[b >> 3] >> (b & 7) & 1) == 1)]);
        }
        return (segments, frames);
    }

    [GeneratedRegex(@"\(0062,0005\) LO \[([^\]]*)\]")]
    private static partial Regex SegmentLabel();

    [GeneratedRegex(@"\(0062,000b\) US (\d+)")]
    private static partial Regex SegmentNumber();

    [GeneratedRegex(@"\(0008,1155\) UI \[([0-9.]+)\]")]
    private static partial Regex SourceInstance();
}
