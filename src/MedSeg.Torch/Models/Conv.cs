using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// A 2D or 3D convolution (<paramref name="spatialDims"/>, as MONAI's <c>spatial_dims</c>) with PyTorch's
/// <c>nn.Conv2d</c>/<c>nn.Conv3d</c> parameters, initialisation and state-dict keys (<c>weight</c>, <c>bias</c>) that
/// computes in bfloat16 inside an <see cref="Autocast.BFloat16"/> scope (fp32 master weights, fp32 output).
/// </summary>
public sealed class Conv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long[] dilation;
    private readonly long groups;

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

    public override Tensor forward(Tensor x)
    {
        if (!Autocast.IsBFloat16)
        {
            return Apply(x, weight, bias);
        }
        using var scope = NewDisposeScope();
        var y = Apply(x.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16), bias?.to(ScalarType.BFloat16));
        return y.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private Tensor Apply(Tensor x, Tensor w, Tensor? b) => stride.Length == 2
        ? nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)
        : nn.functional.conv3d(x, w, b, stride, padding, dilation, groups);
}
