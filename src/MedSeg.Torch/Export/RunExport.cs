using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Inference;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;
using MedSeg.Torch.Training;
using TorchSharp;

namespace MedSeg.Torch.Export;

/// <summary>
/// <c>medseg export</c>: a run folder (one model, or a <c>--fold all</c> run's folds as one averaged graph; a
/// segmentation run or the classification run of the empty-slice gate) → one ONNX file carrying what a caller needs to feed it: classes, the activation, input layout and size, intensity handling.
/// Networks that only take one input size (Swin, UPerNet's pyramid pooling) are exported for the run's training size.
/// </summary>
public static class RunExport
{
    /// <summary>What was written, for the command's summary line.</summary>
    public sealed record Result(string Path, int Models, string Arch, string Encoder, long Bytes, string InputSize);

    /// <summary>Writes <paramref name="outPath"/>: the ONNX graph (<c>.onnx</c>) or a model bundle (<c>.zip</c>, <see cref="ModelBundle"/>).</summary>
    /// <param name="dataPath">The training data, for the bundle's data fingerprint (optional).</param>
    public static Result Write(string runPath, string outPath, string? dataPath = null)
    {
        if (outPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            NewOutputFile.Require(outPath, "--out", ".zip", "a model bundle");
            return ModelBundle.Write(runPath, outPath, dataPath);
        }
        NewOutputFile.Require(outPath, "--out", ".onnx", "an ONNX model (or a model bundle, *.zip)");
        var (onnx, result) = Build(runPath, outPath);
        OnnxExporter.Write(onnx, outPath);
        return result with { Bytes = new FileInfo(outPath).Length };
    }

    /// <summary>The run's ONNX graph and the summary of what it holds (<see cref="Result.Bytes"/> still 0).</summary>
    internal static (Onnx.ModelProto Onnx, Result Result) Build(string runPath, string outPath)
    {
        var folders = RunFolder.Expand(runPath).Select(p => RunFolder.Load(p)).ToArray();
        var first = folders[0];
        var models = new List<torch.nn.Module>();
        try
        {
            foreach (var folder in folders)
            {
                models.Add(folder.LoadModel(torch.CPU));
            }
            var (onnx, fixedSize) = BuildForAnySizeOr(models, first);
            var inputSize = fixedSize is null
                ? "any" + (models[0] is SegmentationModel segmentation ? $" (multiples of {segmentation.SizeMultiple.ToString(CultureInfo.InvariantCulture)})" : "")
                : string.Join("x", fixedSize);
            return (onnx, new Result(outPath, models.Count, first.Config.Arch, first.Config.Encoder, 0, inputSize));
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }

    /// <summary>
    /// The ONNX graph of a run's networks (segmentation, or the classification run of the empty-slice gate) for any
    /// input size when they allow it, else for the run's training size; the run's metadata with it.
    /// </summary>
    internal static (Onnx.ModelProto Onnx, long[]? SpatialSize) BuildForAnySizeOr(IReadOnlyList<torch.nn.Module> models, RunFolder run)
    {
        var metadata = Metadata(run, models.Count);
        var size = TrainingSize(run.Config);
        return models[0] is ImageClassifier
            ? OnnxExporter.BuildForAnySizeOr(size, models.Cast<ImageClassifier>().ToArray(), metadata)
            : OnnxExporter.BuildForAnySizeOr(size, models.Cast<SegmentationModel>().ToArray(), run.Info.Multiclass, metadata);
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

    /// <summary>
    /// What a caller needs to feed the graph and to predict as <c>medseg predict</c> does without libtorch (MedSeg.Onnx):
    /// classes, activation, input layout and size, intensity handling, 2.5D stacking, the run's threshold, the views of
    /// <c>--tta auto</c> and, for 3D runs on nnU-Net data, the spacing volumes are resampled to.
    /// </summary>
    private static Dictionary<string, string> Metadata(RunFolder run, int folds)
    {
        var metadata = new Dictionary<string, string>
        {
            ["medseg_version"] = VersionInfo.MedSeg,
            ["classes"] = string.Join(",", run.Info.Classes),
            ["activation"] = run.Info.Multiclass ? "softmax" : "sigmoid",
            ["task"] = TrainingNetworks.IsClassifier(run.Config) ? "classification" : "segmentation",
            ["mode"] = run.Config.Mode,
            ["in_slices"] = run.Config.Mode == "2.5d" ? run.Config.InSlices.ToString(CultureInfo.InvariantCulture) : "1",
            ["slice_stride"] = run.Config.SliceStride.ToString(CultureInfo.InvariantCulture),
            ["image_channels"] = (run.Info.ImageChannels ?? 1).ToString(CultureInfo.InvariantCulture),
            ["training_size"] = string.Join("x", TrainingSize(run.Config)),
            ["normalisation"] = run.Config.Normalisation,
            ["roi_crop"] = run.Config.RoiCrop,
            ["intensity"] = run.Info.Intensity ?? "as-stored",
            ["threshold"] = run.Config.Threshold.ToString("R", CultureInfo.InvariantCulture),
            ["tta_views"] = string.Join(",", TtaView.For("auto", run.Config.AugmentationPipeline())),
            ["arch"] = run.Config.Arch,
            ["encoder"] = run.Config.Encoder,
            ["models"] = folds.ToString(CultureInfo.InvariantCulture),
        };
        if (run.Config.TargetSpacing is { } spacing)
        {
            metadata["target_spacing"] = spacing;
        }
        return metadata;
    }
}
