using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models;

/// <summary>
/// A 2D or 3D convolution (<c>spatialDims</c>, as MONAI's <c>spatial_dims</c>) with PyTorch's
/// <c>nn.Conv2d</c>/<c>nn.Conv3d</c> parameters, initialisation and state-dict keys (<c>weight</c>, <c>bias</c>) that
/// computes in bfloat16 / float16 inside an <see cref="Autocast"/> scope (fp32 master weights, fp32 output).
/// <see cref="MakeDilated"/> turns it into a stride-1 dilated convolution with the same weights.
/// </summary>
public sealed class Conv : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Parameter weight;
    private Parameter? bias;
    private readonly long groups;
    private long[] stride;
    private long[] padding;
    private long[] dilation;

    /// <summary>
    /// Zeros appended after each spatial dimension before convolving: "same" padding of an even kernel needs one
    /// more after than before, which the convolution's own symmetric padding cannot express.
    /// </summary>
    private long[] trailingPadding = [];

    /// <summary>The bias (one value per output channel), or null when built without one.</summary>
    public Parameter? Bias => bias;

    public Conv(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true,
        long dilation = 1, long groups = 1, int spatialDims = 2)
        : base(nameof(Conv))
    {
        if (spatialDims is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(spatialDims), spatialDims, "spatial dimensions must be 2 or 3");
        }
        long[] kernel = spatialDims == 2 ? [kernelSize, kernelSize] : [kernelSize, kernelSize, kernelSize];
        weight = new Parameter(empty([outChannels, inChannels / groups, .. kernel]));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias)
        {
            var fanIn = inChannels / groups * kernel.Aggregate(1L, (a, b) => a * b);
            var bound = 1 / Math.Sqrt(fanIn);
            this.bias = new Parameter(empty(outChannels));
            nn.init.uniform_(this.bias, -bound, bound);
        }
        this.stride = Enumerable.Repeat(stride, spatialDims).ToArray();
        this.padding = Enumerable.Repeat(padding, spatialDims).ToArray();
        this.dilation = Enumerable.Repeat(dilation, spatialDims).ToArray();
        this.groups = groups;
        RegisterComponents();
    }

    /// <summary>Stride, padding and dilation (per spatial dimension), for inspection.</summary>
    public (long[] Stride, long[] Padding, long[] Dilation) Geometry => ([.. stride], [.. padding], [.. dilation]);

    /// <summary>
    /// Replaces the stride by <paramref name="rate"/>-fold dilation with "same" padding, so the output keeps the
    /// input's size while the receptive field keeps growing: smp's <c>replace_strides_with_dilation</c> for odd
    /// kernels (padding ⌊k/2⌋·rate on both sides) and timm's "same" padding for even ones (the extra zero goes after).
    /// The weights stay as they are.
    /// </summary>
    public void MakeDilated(long rate)
    {
        var spatialDims = stride.Length;
        var total = rate * (weight.shape[^1] - 1);
        stride = [.. Enumerable.Repeat(1L, spatialDims)];
        dilation = [.. Enumerable.Repeat(rate, spatialDims)];
        padding = [.. Enumerable.Repeat(total / 2, spatialDims)];
        trailingPadding = total % 2 == 0 ? [] : [.. Enumerable.Repeat(new[] { 0L, total % 2 }, spatialDims).SelectMany(p => p)];
    }

    public override Tensor forward(Tensor x)
    {
        var reduced = Autocast.ReducedTypeFor(x);
        if (reduced is null && trailingPadding.Length == 0)
        {
            return Apply(x, weight, bias);
        }
        using var scope = NewDisposeScope();
        var input = trailingPadding.Length == 0 ? x : nn.functional.pad(x, trailingPadding);
        var y = reduced is { } type
            ? Reduced(Apply(input.to(type), weight.to(type), bias?.to(type)))
            : Apply(input, weight, bias);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>A reduced-type convolution's output: kept as it is between layers that take it (<see cref="Autocast.ActivationsReduced"/>), else fp32.</summary>
    private static Tensor Reduced(Tensor y) => Autocast.ActivationsReduced ? y : y.to(ScalarType.Float32);

    private Tensor Apply(Tensor x, Tensor w, Tensor? b) => stride.Length == 2
        ? nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)
        : nn.functional.conv3d(x, w, b, stride, padding, dilation, groups);

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var after = trailingPadding.Length == 0 ? padding : [.. padding.Select((p, i) => p + trailingPadding[2 * i + 1])];
        var weightValue = graph.Weight(this, "weight", weight);
        string[] inputs = bias is null ? [input, weightValue] : [input, weightValue, graph.Weight(this, "bias", bias)];
        return graph.Node("Conv", inputs, ("kernel_shape", weight.shape[2..]), ("strides", stride), ("pads", (long[])[.. padding, .. after]),
            ("dilations", dilation), ("group", groups));
    }

    /// <summary>
    /// Folds a per-output-channel affine map that follows this convolution into it (inference only, e.g. an eval-mode
    /// BatchNorm reading only this output: <paramref name="scale"/> = γ/√(σ²+ε), <paramref name="shift"/> = β − μ·scale):
    /// W' = W·scale, b' = b·scale + shift (a bias is added when the convolution had none).
    /// </summary>
    public void FoldAffine(Tensor scale, Tensor shift)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        weight.mul_(scale.to(weight.dtype).view([-1, .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]));
        if (bias is null)
        {
            bias = new Parameter(shift.to(weight.dtype).clone().DetachFromDisposeScope(), requires_grad: false);
            register_parameter(nameof(bias), bias);
            return;
        }
        bias.mul_(scale.to(bias.dtype)).add_(shift.to(bias.dtype));
    }
}
