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
/// A model exported by <c>medseg export</c> (a segmentation run, or the slice classifier of the empty-slice gate),
/// opened in ONNX Runtime (CPU provider), with what its metadata says about feeding it: classes, mode (2d, 2.5d, 3d),
/// 2.5D stacking, input size (the 2D image size or the 3D patch), intensity normalisation and ROI crop, the run's
/// threshold, the views of <c>--tta auto</c> and a 3D run's target spacing. From a bundle (<c>*.zip</c>, checked and unpacked by <see cref="BundleArchive"/>) it also knows
/// the run folder(s) with the tuned thresholds and the post-processing decided on validation.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private const string InputName = "image";
    private readonly InferenceSession session;
    private readonly string outputName;

    private OnnxModel(string path, string onnxFile, string? runFolder, string task, string option)
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
            throw new MedSegException($"{option} {path}: {System.IO.Path.GetFileName(onnxFile)} is not a model ONNX Runtime can load ({e.Message.Split('\n')[0]}).");
        }
        try
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            string Key(string key) => metadata.TryGetValue(key, out var value)
                ? value
                : throw new MedSegException($"{option} {path} has no '{key}' in its ONNX metadata; export the run again with this MedSeg (medseg export --model RUN --out FILE.zip).");
            if (Key("task") != task)
            {
                throw new MedSegException(task == Segmentation
                    ? $"{option} {path} is a {Key("task")} model; pass it as --gate {path} and give a segmentation model as {option}."
                    : $"{option} {path} is a {Key("task")} model; the gate is an exported classification run (medseg train --arch classifier, then medseg export).");
            }
            Multiclass = Key("activation") == "softmax";
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

    /// <summary>The <see cref="Task"/> of a segmentation run's export: per-class masks (N×classes×… outputs).</summary>
    public const string Segmentation = "segmentation";

    /// <summary>The <see cref="Task"/> of a slice classifier's export (the gate): per-class presence (N×classes outputs).</summary>
    public const string Classification = "classification";

    /// <summary>The <c>--model</c> (or <c>--gate</c>) path the model came from (bundle or .onnx file), for messages.</summary>
    public string Path { get; }

    /// <summary>The bundle's run folder (tuned thresholds, post-processing decision); null for a plain .onnx file.</summary>
    public string? RunFolder { get; }

    public IReadOnlyList<string> Classes { get; } = [];

    /// <summary>True for a softmax run over exclusive classes (trained on a folder dataset), false for one sigmoid per class.</summary>
    public bool Multiclass { get; }

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
    /// <c>*.onnx</c> file, which must be a <paramref name="task"/> model (<see cref="Segmentation"/> or <see cref="Classification"/>).
    /// </summary>
    /// <param name="option">The option that named the file, for messages (<c>--model</c>, <c>--gate</c>).</param>
    /// <exception cref="MedSegException">The file is missing, is no bundle or ONNX model, was changed, lacks metadata or is of another task.</exception>
    public static OnnxModel Open(string path, string task = Segmentation, string option = "--model")
    {
        if (BundleArchive.IsBundle(path))
        {
            var unpacked = BundleArchive.Unpack(path);
            var onnx = System.IO.Path.Combine(unpacked, BundleArchive.OnnxFile);
            if (!File.Exists(onnx))
            {
                throw new MedSegException($"{option} {path} has no {BundleArchive.OnnxFile}; export the run again as a bundle (medseg export --model RUN --out FILE.zip).");
            }
            return new OnnxModel(path, onnx, System.IO.Path.Combine(unpacked, BundleArchive.RunFolderName), task, option);
        }
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            return new OnnxModel(path, path, null, task, option);
        }
        throw new MedSegException(File.Exists(path) || Directory.Exists(path)
            ? $"{option} {path} is neither a model bundle (*.zip) nor an ONNX model (*.onnx); the libtorch-free predictor takes those (a run folder: medseg export --model RUN --out FILE.zip)."
            : $"{option} {path} does not exist.");
    }

    /// <summary>
    /// The network on <paramref name="input"/> (<paramref name="dims"/>: N×C×H×W or N×C×D×H×W): N×classes×… logits
    /// (N×classes for a classifier), or probabilities when <see cref="OutputsLogits"/> is false.
    /// </summary>
    public float[] Run(float[] input, int[] dims)
    {
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(InputName, new DenseTensor<float>(input, dims))], [outputName]);
        return results[0].AsTensor<float>().ToArray();
    }

    /// <summary>Per-class probabilities from <see cref="Run"/>'s values (a sigmoid for logits), in place; for sigmoid runs (not <see cref="Multiclass"/>).</summary>
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
