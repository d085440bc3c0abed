using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// Atrous spatial pyramid pooling as smp builds it (<c>convs.0</c> 1×1, <c>convs.1</c>…<c>convs.3</c> dilated
/// separable 3×3, <c>convs.4</c> image pooling, each with BatchNorm and ReLU), concatenated and projected by a
/// 1×1 conv-BN-ReLU with dropout (<c>project</c>).
/// </summary>
public sealed class Aspp : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly ModuleList<Module<Tensor, Tensor>> convs;
    private readonly Module<Tensor, Tensor> project;

    public Aspp(long inChannels, long outChannels, IReadOnlyList<int> atrousRates, double dropout) : base(nameof(Aspp))
    {
        convs = new ModuleList<Module<Tensor, Tensor>>
        {
            Sequential(new Conv(inChannels, outChannels, 1, bias: false), new BatchNormalization(outChannels), ReLU()),
        };
        foreach (var rate in atrousRates)
        {
            convs.Add(Sequential(
                SeparableConv(inChannels, outChannels, 3, padding: rate, dilation: rate, bias: false),
                new BatchNormalization(outChannels),
                ReLU()));
        }
        convs.Add(Sequential(AdaptiveAvgPool2d(1), new Conv(inChannels, outChannels, 1, bias: false), new BatchNormalization(outChannels), ReLU()));
        project = Sequential(
            new Conv(convs.Count * outChannels, outChannels, 1, bias: false),
            new BatchNormalization(outChannels),
            ReLU(),
            Dropout(dropout));
        RegisterComponents();
    }

    /// <summary>smp's <c>SeparableConv2d</c>: a depthwise convolution (<c>0</c>) then a pointwise 1×1 (<c>1</c>).</summary>
    public static Sequential SeparableConv(long inChannels, long outChannels, long kernelSize, long padding, long dilation, bool bias) =>
        Sequential(
            new Conv(inChannels, inChannels, kernelSize, padding: padding, dilation: dilation, groups: inChannels, bias: false),
            new Conv(inChannels, outChannels, 1, bias: bias));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var size = new[] { x.shape[2], x.shape[3] };
        // The image-pooling branch comes back 1×1 and is spread over the input's size again.
        var branches = convs.Select(conv => conv.call(x))
            .Select(y => y.shape[2] == size[0] && y.shape[3] == size[1] ? y : functional.interpolate(y, size: size, mode: InterpolationMode.Bilinear, align_corners: false))
            .ToArray();
        return project.call(cat(branches, 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        // The last branch is the image pooling one: 1×1, spread over the input's size again.
        var branches = convs.Select((conv, i) => i == convs.Count - 1
            ? graph.ResizeLike(graph.Apply(conv, input), input, "linear")
            : graph.Apply(conv, input));
        return graph.Apply(project, graph.Concat(branches.ToArray()));
    }
}
