using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// A 2D or 3D transposed convolution with PyTorch's <c>nn.ConvTranspose2d</c>/<c>nn.ConvTranspose3d</c> parameters
/// (weight in×out×k…), initialisation and keys (<c>weight</c>, <c>bias</c>); like <see cref="Conv"/>, it computes in
/// bfloat16 / float16 inside an <see cref="Autocast"/> scope and returns fp32.
/// </summary>
public sealed class ConvTranspose : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride;
    private readonly long[] padding;

    public ConvTranspose(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias = true, int spatialDims = 3)
        : base(nameof(ConvTranspose))
    {
        if (spatialDims is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(spatialDims), spatialDims, "spatial dimensions must be 2 or 3");
        }
        var kernel = Enumerable.Repeat(kernelSize, spatialDims).ToArray();
        weight = new Parameter(empty([inChannels, outChannels, .. kernel]));
        // PyTorch's _ConvNd.reset_parameters: the fan-in of a transposed weight is its dimension 1 times the kernel volume.
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias)
        {
            var bound = 1 / Math.Sqrt(outChannels * kernel.Aggregate(1L, (a, b) => a * b));
            this.bias = new Parameter(empty(outChannels));
            nn.init.uniform_(this.bias, -bound, bound);
        }
        this.stride = Enumerable.Repeat(stride, spatialDims).ToArray();
        this.padding = Enumerable.Repeat(padding, spatialDims).ToArray();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (Autocast.ReducedTypeFor(x) is not { } type)
        {
            return Apply(x, weight, bias);
        }
        using var scope = NewDisposeScope();
        var y = Apply(x.to(type), weight.to(type), bias?.to(type));
        return y.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private Tensor Apply(Tensor x, Tensor w, Tensor? b) => stride.Length == 2
        ? nn.functional.conv_transpose2d(x, w, b, stride, padding)
        : nn.functional.conv_transpose3d(x, w, b, stride, padding);

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var weightValue = graph.Weight(this, "weight", weight);
        string[] inputs = bias is null ? [input, weightValue] : [input, weightValue, graph.Weight(this, "bias", bias)];
        return graph.Node("ConvTranspose", inputs, ("kernel_shape", weight.shape[2..]), ("strides", stride), ("pads", (long[])[.. padding, .. padding]));
    }
}
