using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Bundles;
using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Runs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedSeg.Onnx;

/// <summary>
/// A segmentation model exported by <c>medseg export</c>, opened in ONNX Runtime (CPU provider), with what its metadata
/// says about feeding it: classes, mode (2d, 2.5d, 3d), 2.5D stacking, input size (the 2D image size or the 3D
/// patch), intensity normalisation and ROI crop, the run's threshold, the views of <c>--tta auto</c> and a 3D run's
/// target spacing. From a bundle (<c>*.zip</c>, checked and unpacked by <see cref="BundleArchive"/>) it also knows
/// the run folder(s) with the tuned thresholds and the post-processing decided on validation.
/// </summary>
public sealed class OnnxSegmentationModel : IDisposable
{
    private const string InputName = "image";
    private readonly InferenceSession session;
    private readonly string outputName;

    private OnnxSegmentationModel(string path, string onnxFile, string? runFolder)
    {
        Path = path;
        RunFolder = runFolder;
        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            session = new InferenceSession(onnxFile, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new MedSegException($"--model {path}: {System.IO.Path.GetFileName(onnxFile)} is not a model ONNX Runtime can load ({e.Message.Split('\n')[0]}).");
        }
        try
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            string Key(string key) => metadata.TryGetValue(key, out var value)
                ? value
                : throw new MedSegException($"--model {path} has no '{key}' in its ONNX metadata; export the run again with this MedSeg (medseg export --model RUN --out FILE.zip).");
            if (Key("task") != "segmentation" || Key("activation") != "sigmoid")
            {
                throw new MedSegException($"--model {path} is a {Key("task")} model with a {Key("activation")} output; the libtorch-free predictor segments NIfTI images with sigmoid segmentation runs (UW-Madison or nnU-Net data).");
            }
            Classes = Key("classes").Split(',');
            Mode = Key("mode");
            InSlices = Number(Key("in_slices"));
            SliceStride = Number(Key("slice_stride"));
            ImageChannels = Number(Key("image_channels"));
            InputSize = [.. Key("training_size").Split('x').Select(Number)];
            Normalisation = IntensityNormalisation.Parse(Key("normalisation"));
            RoiCrop = Core.Preprocessing.RoiCrop.Parse(Key("roi_crop"));
            Intensity = Key("intensity") == IntensityMapping.PerVolumeRule ? IntensityMapping.PerVolumeRule : null;
            Threshold = double.Parse(Key("threshold"), CultureInfo.InvariantCulture);
            TrainedViews = [.. Key("tta_views").Split(',').Select(TtaView.Parse)];
            TargetSpacing = metadata.TryGetValue("target_spacing", out var spacing) ? StackSpacing.Parse(spacing, "target_spacing") : null;
            // A single network's logits are resized before the sigmoid, as the TorchSharp backend does; an
            // ensemble graph (a --fold all run) only has the mean of its members' probabilities.
            OutputsLogits = session.OutputMetadata.ContainsKey("logits");
            outputName = OutputsLogits ? "logits" : "probabilities";
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The <c>--model</c> path the model came from (bundle or .onnx file), for messages.</summary>
    public string Path { get; }

    /// <summary>The bundle's run folder (tuned thresholds, post-processing decision); null for a plain .onnx file.</summary>
    public string? RunFolder { get; }

    public IReadOnlyList<string> Classes { get; } = [];

    /// <summary><c>2d</c>, <c>2.5d</c> or <c>3d</c>.</summary>
    public string Mode { get; } = "";

    /// <summary>Slices per input stack (1 outside 2.5D) and the distance between them.</summary>
    public int InSlices { get; }

    public int SliceStride { get; }

    /// <summary>Image channels per slice.</summary>
    public int ImageChannels { get; }

    /// <summary>The network input size: H, W (2D modes: every slice is resized to it) or D, H, W (3D: the sliding window).</summary>
    public int[] InputSize { get; } = [];

    public IntensityNormalisation Normalisation { get; } = IntensityNormalisation.Default;

    public RoiCrop RoiCrop { get; } = RoiCrop.None;

    /// <summary><see cref="IntensityMapping.PerVolumeRule"/> for runs trained on NIfTI data; null for runs on 16-bit PNGs.</summary>
    public string? Intensity { get; }

    /// <summary>The run's foreground probability threshold.</summary>
    public double Threshold { get; }

    /// <summary>The test-time views the run was trained with (<c>--tta auto</c>).</summary>
    public IReadOnlyList<TtaView> TrainedViews { get; } = [];

    /// <summary>The slice-stack spacing a 3D run's input is resampled to; null: the image's own grid.</summary>
    public StackSpacing? TargetSpacing { get; }

    /// <summary>True when <see cref="Run"/> returns logits (a single network), false for an ensemble graph's probabilities.</summary>
    public bool OutputsLogits { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a model bundle (<c>*.zip</c>: its <c>model.onnx</c> and run folder) or an exported
    /// <c>*.onnx</c> file.
    /// </summary>
    /// <exception cref="MedSegException">The file is missing, is no bundle or ONNX model, was changed, or lacks metadata.</exception>
    public static OnnxSegmentationModel Open(string path)
    {
        if (BundleArchive.IsBundle(path))
        {
            var unpacked = BundleArchive.Unpack(path);
            var onnx = System.IO.Path.Combine(unpacked, BundleArchive.OnnxFile);
            if (!File.Exists(onnx))
            {
                throw new MedSegException($"--model {path} has no {BundleArchive.OnnxFile}; export the run again as a bundle (medseg export --model RUN --out FILE.zip).");
            }
            return new OnnxSegmentationModel(path, onnx, System.IO.Path.Combine(unpacked, BundleArchive.RunFolderName));
        }
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            return new OnnxSegmentationModel(path, path, null);
        }
        throw new MedSegException(File.Exists(path) || Directory.Exists(path)
            ? $"--model {path} is neither a model bundle (*.zip) nor an ONNX model (*.onnx); the libtorch-free predictor takes those (a run folder: medseg export --model RUN --out FILE.zip)."
            : $"--model {path} does not exist.");
    }

    /// <summary>
    /// The network on <paramref name="input"/> (<paramref name="dims"/>: N×C×H×W or N×C×D×H×W): N×classes×… logits, or
    /// probabilities when <see cref="OutputsLogits"/> is false.
    /// </summary>
    public float[] Run(float[] input, int[] dims)
    {
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(InputName, new DenseTensor<float>(input, dims))], [outputName]);
        return results[0].AsTensor<float>().ToArray();
    }

    /// <summary>Per-class probabilities from <see cref="Run"/>'s values (a sigmoid for logits), in place.</summary>
    public float[] Probabilities(float[] values)
    {
        if (OutputsLogits)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = 1f / (1f + MathF.Exp(-values[i]));
            }
        }
        return values;
    }

    public void Dispose() => session.Dispose();

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
