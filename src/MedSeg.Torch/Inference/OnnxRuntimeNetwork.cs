using MedSeg.Core;
using MedSeg.Torch.Export;
using MedSeg.Torch.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// A segmentation network computed by ONNX Runtime (<c>predict --backend onnx</c>): the run's network exported with
/// <see cref="OnnxExporter"/>, run on ONNX Runtime's CPU provider, behind the module interface the inference pipeline
/// calls, so sliding windows, TTA, ensembles, thresholds and post-processing are the same code as with TorchSharp.
/// Input N×C×… fp32, output the logits (per voxel, or per image for the gate's classifier).
/// </summary>
public sealed class OnnxRuntimeNetwork : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession session;

    private OnnxRuntimeNetwork(byte[] onnx) : base(nameof(OnnxRuntimeNetwork))
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.IntraOpNumThreads = torch.get_num_threads();
        session = new InferenceSession(onnx, options);
    }

    /// <summary>
    /// Exports <paramref name="model"/> (for any input size, or <paramref name="fixedSize"/> when the network needs
    /// one) and opens it in ONNX Runtime; <paramref name="model"/> itself is not kept.
    /// </summary>
    public static OnnxRuntimeNetwork From(SegmentationModel model, long[] fixedSize) =>
        new(Google.Protobuf.MessageExtensions.ToByteArray(OnnxExporter.BuildForAnySizeOr(fixedSize, [model], multiclass: false).Onnx));

    /// <summary>
    /// As <see cref="From(SegmentationModel, long[])"/> for <paramref name="run"/>'s network <paramref name="model"/>:
    /// a segmentation network or the gate's classifier, at the run's training size where the network needs one.
    /// </summary>
    public static OnnxRuntimeNetwork FromRun(nn.Module model, Training.RunFolder run) =>
        new(Google.Protobuf.MessageExtensions.ToByteArray(RunExport.BuildForAnySizeOr([model], run).Onnx));

    public override Tensor forward(Tensor x)
    {
        if (x.device_type != DeviceType.CPU)
        {
            throw new MedSegException("the ONNX backend runs on the CPU; use --device cpu with --backend onnx.");
        }
        using var scope = NewDisposeScope();
        var input = x.to(ScalarType.Float32).contiguous();
        var dims = input.shape.Select(d => (int)d).ToArray();
        var tensor = new DenseTensor<float>(input.data<float>().ToArray(), dims);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", tensor)], ["logits"]);
        var logits = results[0].AsTensor<float>();
        var output = torch.tensor(logits.ToArray(), [.. logits.Dimensions.ToArray().Select(d => (long)d)]);
        return output.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            session.Dispose();
        }
        base.Dispose(disposing);
    }
}
