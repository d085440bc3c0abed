using System.Globalization;
using MedSeg.Core;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;
using TorchSharp;

namespace MedSeg.Torch.Export;

/// <summary>
/// <c>medseg export</c>: a run folder (one model, or a <c>--fold all</c> run's folds as one averaged graph) → one ONNX
/// file carrying what a caller needs to feed it: classes, the activation, input layout and size, intensity handling.
/// Networks that only take one input size (Swin, UPerNet's pyramid pooling) are exported for the run's training size.
/// </summary>
public static class RunExport
{
    /// <summary>What was written, for the command's summary line.</summary>
    public sealed record Result(string Path, int Models, string Arch, string Encoder, long Bytes, string InputSize);

    public static Result Write(string runPath, string outPath)
    {
        NewOutputFile.Require(outPath, "--out", ".onnx", "an ONNX model");
        var folders = RunFolder.Expand(runPath).Select(p => RunFolder.Load(p)).ToArray();
        var first = folders[0];
        if (TrainingNetworks.IsClassifier(first.Config))
        {
            throw new MedSegException($"--model {first.Path} is a classification run; ONNX export covers segmentation runs only so far.");
        }
        var models = new List<SegmentationModel>();
        try
        {
            foreach (var folder in folders)
            {
                models.Add((SegmentationModel)folder.LoadModel(torch.CPU));
            }
            var metadata = Metadata(first, folders.Length);
            Onnx.ModelProto onnx;
            string inputSize;
            try
            {
                onnx = OnnxExporter.Build(models, first.Info.Multiclass, metadata);
                inputSize = "any (multiples of " + models[0].SizeMultiple.ToString(CultureInfo.InvariantCulture) + ")";
            }
            catch (FixedSizeRequiredException)
            {
                var size = TrainingSize(first.Config);
                onnx = OnnxExporter.Build(models, first.Info.Multiclass, metadata, size);
                inputSize = string.Join("x", size);
            }
            OnnxExporter.Write(onnx, outPath);
            return new Result(outPath, models.Count, first.Config.Arch, first.Config.Encoder, new FileInfo(outPath).Length, inputSize);
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }

    /// <summary>The input size a run was trained on (2D image size or 3D patch), for networks exported at a fixed size.</summary>
    public static long[] TrainingSize(TrainConfig config)
    {
        if (config.Mode == "3d")
        {
            var patch = config.ParsedPatch;
            return [patch.Depth, patch.Height, patch.Width];
        }
        var (height, width) = config.ParsedImageSize;
        return [height, width];
    }

    private static Dictionary<string, string> Metadata(RunFolder run, int folds) => new()
    {
        ["medseg_version"] = VersionInfo.MedSeg,
        ["classes"] = string.Join(",", run.Info.Classes),
        ["activation"] = run.Info.Multiclass ? "softmax" : "sigmoid",
        ["mode"] = run.Config.Mode,
        ["in_slices"] = run.Config.Mode == "2.5d" ? run.Config.InSlices.ToString(CultureInfo.InvariantCulture) : "1",
        ["image_channels"] = (run.Info.ImageChannels ?? 1).ToString(CultureInfo.InvariantCulture),
        ["training_size"] = string.Join("x", TrainingSize(run.Config)),
        ["normalisation"] = run.Config.Normalisation,
        ["roi_crop"] = run.Config.RoiCrop,
        ["intensity"] = run.Info.Intensity ?? "as-stored",
        ["arch"] = run.Config.Arch,
        ["encoder"] = run.Config.Encoder,
        ["models"] = folds.ToString(CultureInfo.InvariantCulture),
    };
}
