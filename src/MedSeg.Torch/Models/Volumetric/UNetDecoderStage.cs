using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>Decoder</c>: upsampling to the skip feature's size — nearest interpolation, or a learned
/// transposed convolution (kernel 3, stride 2, <c>upsampling.upsample.conv_transposed</c>) followed by nearest
/// interpolation to the exact size — then joining (concatenation, skip first, or sum) and the level's <c>basic_module</c>.
/// </summary>
public sealed class UNetDecoderStage : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>? upsampling;
    private readonly Module<Tensor, Tensor> basic_module;
    private readonly bool concat;

    /// <param name="transposedConv">Learned upsampling from <paramref name="inChannels"/> to <paramref name="outChannels"/>, joined by sum (ResidualUNet3D); otherwise interpolation and concatenation (UNet3D).</param>
    public UNetDecoderStage(Module<Tensor, Tensor> basicModule, bool transposedConv, long inChannels, long outChannels, int spatialDims)
        : base(nameof(UNetDecoderStage))
    {
        if (transposedConv)
        {
            var conv = new ConvTranspose(inChannels, outChannels, 3, stride: 2, padding: 1, bias: false, spatialDims: spatialDims);
            upsampling = Sequential(("upsample", Sequential(("conv_transposed", conv))));
        }
        basic_module = basicModule;
        concat = !transposedConv;
        RegisterComponents();
    }

    /// <param name="skip">The encoder feature at this level.</param>
    /// <param name="x">The coarser decoder (or bottleneck) output.</param>
    public override Tensor forward(Tensor skip, Tensor x)
    {
        using var scope = NewDisposeScope();
        var up = upsampling is null ? x : upsampling.call(x);
        up = functional.interpolate(up, size: skip.shape[2..], mode: InterpolationMode.Nearest);
        var joined = concat ? cat([skip, up], 1) : skip.add(up);
        return basic_module.call(joined).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes.</summary>
    public string ToOnnx(OnnxGraph graph, string skip, string input)
    {
        var up = upsampling is null ? input : graph.Apply(upsampling, input);
        up = graph.ResizeLike(up, skip, "nearest");
        return graph.Apply(basic_module, concat ? graph.Concat([skip, up]) : graph.Add(skip, up));
    }
}
