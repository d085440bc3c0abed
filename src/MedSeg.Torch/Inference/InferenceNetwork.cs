using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// A network prepared once for inference only (<see cref="Prepare(nn.Module{Tensor, Tensor}, string, Device, long[])"/>): eval mode, no autograd, BatchNorm folded into
/// the convolutions (<see cref="ModuleBatchNormFolding"/>), and — when the run's precision is bf16 (fp16) and the
/// device has fast kernels for it (<see cref="Native.CpuConvolutionTypes"/> on CPU; always on CUDA) — every weight
/// converted to that type once, so activations stay in it, channels-last, from the input to the output, which is cast to
/// fp32 once. The forward takes and returns what the wrapped network does (fp32 N×C×H×W or N×C×D×H×W), so it replaces
/// the network in the prediction pipeline; where it is called inside an <see cref="Autocast"/> scope the scope is turned
/// off for it (its weights already have the reduced type).
/// </summary>
public sealed class InferenceNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> network;

    private InferenceNetwork(nn.Module<Tensor, Tensor> network, ScalarType computeType, int foldedBatchNorms) : base(nameof(InferenceNetwork))
    {
        this.network = network;
        ComputeType = computeType;
        FoldedBatchNorms = foldedBatchNorms;
        RegisterComponents();
    }

    /// <summary>The type the network computes in: bfloat16, float16 or float32.</summary>
    public ScalarType ComputeType { get; }

    /// <summary>How many BatchNorm layers were folded into the convolution before them.</summary>
    public int FoldedBatchNorms { get; }

    /// <summary>
    /// The type a run of <paramref name="precision"/> (<c>bf16</c>, <c>fp16</c>, <c>fp32</c>) computes in on
    /// <paramref name="device"/>: the reduced type where the device has fast kernels for it, else float32.
    /// </summary>
    public static ScalarType ComputeTypeFor(string precision, Device device) => precision switch
    {
        "bf16" when device.type != DeviceType.CPU || Native.CpuConvolutionTypes.BFloat16 => ScalarType.BFloat16,
        "fp16" when device.type != DeviceType.CPU || Native.CpuConvolutionTypes.Float16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };

    /// <summary>
    /// Prepares <paramref name="model"/> (already on its device) for inference and takes it over: it is changed in place
    /// (folded, converted) and disposed with the result, so pass a network that is not trained or saved afterwards.
    /// </summary>
    /// <param name="spatialSize">An input size the network takes (H×W or D×H×W), for reading its dataflow.</param>
    public static InferenceNetwork Prepare(nn.Module<Tensor, Tensor> model, string precision, Device device, long[] spatialSize) =>
        Prepare(model, ComputeTypeFor(precision, device), spatialSize);

    /// <summary>As the other overload, computing in <paramref name="computeType"/> whatever the device's kernels.</summary>
    public static InferenceNetwork Prepare(nn.Module<Tensor, Tensor> model, ScalarType computeType, long[] spatialSize)
    {
        model.eval();
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }
        var folded = ModuleBatchNormFolding.Apply(model, spatialSize);
        if (computeType != ScalarType.Float32)
        {
            ModuleFields.Convert(model, computeType);
        }
        return new InferenceNetwork(model, computeType, folded);
    }

    /// <summary>
    /// A prepared copy of <paramref name="model"/>: a new network from <paramref name="create"/> (the same architecture)
    /// given <paramref name="model"/>'s weights, so that <paramref name="model"/> itself stays as it is (e.g. for the
    /// benchmarks' eager path beside the prepared one).
    /// </summary>
    public static InferenceNetwork PrepareCopy(nn.Module<Tensor, Tensor> model, Func<nn.Module<Tensor, Tensor>> create, string precision, Device device, long[] spatialSize)
    {
        var copy = create();
        copy.load_state_dict(model.state_dict());
        return Prepare(copy, precision, device, spatialSize);
    }

    /// <summary>The fp32 output of the network on <paramref name="x"/> (any type and layout).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Output(Compute(Input(x))).MoveToOuterDisposeScope();
    }

    /// <summary>The first part of <see cref="forward"/>: <paramref name="x"/> in the compute type, channels-last.</summary>
    public Tensor Input(Tensor x) => Autocast.ChannelsLast(x, ComputeType);

    /// <summary>The second part of <see cref="forward"/>: the network on an <see cref="Input"/>, in the compute type.</summary>
    public Tensor Compute(Tensor input)
    {
        using var noGrad = no_grad();
        using var plain = Autocast.For("fp32");
        return network.call(input);
    }

    /// <summary>The last part of <see cref="forward"/>: the network's output as fp32.</summary>
    public static Tensor Output(Tensor y) => y.dtype == ScalarType.Float32 ? y : y.to(ScalarType.Float32);
}
