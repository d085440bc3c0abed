using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// Mixed precision for convolutions, in place of PyTorch's autocast (TorchSharp has none): inside a
/// <see cref="BFloat16"/> (or <see cref="Float16"/>) scope, <see cref="Conv"/> layers compute in that type from fp32
/// master weights and return fp32, so BatchNorm, losses and optimiser state stay fp32. With channels-last inputs
/// bfloat16 is the fast path of libtorch's CPU kernels (oneDNN); float16 is for CUDA, where training needs a
/// <see cref="Training.LossScaler"/> against underflowing gradients. The scope is per async flow, so parallel tests
/// do not see each other's.
/// </summary>
public static class Autocast
{
    private static readonly AsyncLocal<ScalarType?> Active = new();
    private static readonly AsyncLocal<bool> ActivationsStayReduced = new();

    /// <summary>The reduced type convolutions compute in inside a scope; null outside.</summary>
    public static ScalarType? ReducedType => Active.Value;

    /// <summary>
    /// The type a convolution of <paramref name="x"/> computes in: <see cref="ReducedType"/>, except on a CPU without
    /// a fast kernel for it (<see cref="Native.CpuConvolutionTypes"/>), where fp32 is faster and more exact (null).
    /// </summary>
    public static ScalarType? ReducedTypeFor(Tensor x) => Active.Value switch
    {
        { } type when x.device_type != DeviceType.CPU => type,
        ScalarType.BFloat16 when Native.CpuConvolutionTypes.BFloat16 => ScalarType.BFloat16,
        ScalarType.Float16 when Native.CpuConvolutionTypes.Float16 => ScalarType.Float16,
        _ => null,
    };

    /// <summary>
    /// True inside <see cref="KeepActivationsReduced"/>: a <see cref="Conv"/> computing in a reduced type returns that
    /// type instead of fp32, so BatchNorm, ReLU, pooling, upsampling and concatenation between convolutions run on
    /// bf16 tensors and no cast happens between layers. Only networks whose layers all take reduced inputs enter it
    /// (<see cref="SegmentationModel.KeepsReducedActivations"/>); their logits are cast to fp32 once, before the loss.
    /// </summary>
    public static bool ActivationsReduced => ActivationsStayReduced.Value && Active.Value is not null;

    /// <summary>Keeps convolution outputs in the reduced type until the returned handle is disposed (see <see cref="ActivationsReduced"/>).</summary>
    public static IDisposable KeepActivationsReduced() => new ActivationScope();

    /// <summary>Turns bfloat16 convolutions on until the returned handle is disposed.</summary>
    public static IDisposable BFloat16(bool enabled = true) => new Scope(enabled ? ScalarType.BFloat16 : null);

    /// <summary>Turns float16 convolutions on until the returned handle is disposed.</summary>
    public static IDisposable Float16(bool enabled = true) => new Scope(enabled ? ScalarType.Float16 : null);

    /// <summary>The scope of a run's <c>precision</c>: <c>bf16</c>, <c>fp16</c>, or <c>fp32</c> (none).</summary>
    public static IDisposable For(string precision) => new Scope(precision switch
    {
        "bf16" => ScalarType.BFloat16,
        "fp16" => ScalarType.Float16,
        _ => null,
    });

    /// <summary>
    /// Same logical N×C×spatial tensor (2D or 3D) with channels-last strides, what oneDNN's fast kernels want and their
    /// outputs keep; with <paramref name="type"/>, always a new tensor, cast and reordered in one copy.
    /// </summary>
    public static Tensor ChannelsLast(Tensor x, ScalarType? type = null)
    {
        var spatialDims = (int)x.dim() - 2;
        long[] back = [0, spatialDims + 1, .. Enumerable.Range(1, spatialDims).Select(d => (long)d)];
        if (type is not { } cast)
        {
            long[] toLast = [0, .. Enumerable.Range(2, spatialDims).Select(d => (long)d), 1];
            return x.permute(toLast).contiguous().permute(back);
        }
        long[] last = [x.shape[0], .. x.shape[2..], x.shape[1]];
        return empty(last, cast, x.device).permute(back).copy_(x);
    }

    private sealed class ActivationScope : IDisposable
    {
        private readonly bool previous;

        public ActivationScope()
        {
            previous = ActivationsStayReduced.Value;
            ActivationsStayReduced.Value = true;
        }

        public void Dispose() => ActivationsStayReduced.Value = previous;
    }

    private sealed class Scope : IDisposable
    {
        private readonly ScalarType? previous;

        public Scope(ScalarType? type)
        {
            previous = Active.Value;
            Active.Value = type;
        }

        public void Dispose() => Active.Value = previous;
    }
}
