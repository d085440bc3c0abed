using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// A 2D convolution with PyTorch's <c>nn.Conv2d</c> parameters, initialisation and state-dict keys
/// (<c>weight</c>, <c>bias</c>) that computes in bfloat16 inside an <see cref="Autocast.BFloat16"/> scope.
/// </summary>
public sealed class Conv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride;
    private readonly long[] padding;

    public Conv(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true)
        : base(nameof(Conv))
    {
        weight = new Parameter(empty(outChannels, inChannels, kernelSize, kernelSize));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias)
        {
            var bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
            this.bias = new Parameter(empty(outChannels));
            nn.init.uniform_(this.bias, -bound, bound);
        }
        this.stride = [stride, stride];
        this.padding = [padding, padding];
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!Autocast.IsBFloat16)
        {
            return nn.functional.conv2d(x, weight, bias, stride, padding);
        }
        using var scope = NewDisposeScope();
        var y = nn.functional.conv2d(x.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16), bias?.to(ScalarType.BFloat16), stride, padding);
        return y.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
