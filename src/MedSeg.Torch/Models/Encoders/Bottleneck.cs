using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// The ResNet bottleneck (1×1 reduce, grouped 3×3, 1×1 expand ×4, residual) of torchvision's ResNet-50/101 and
/// ResNeXt (<c>groups</c> × <c>baseWidth</c>), and, with <c>seReduction</c>, of
/// pretrainedmodels' <c>SEResNeXtBottleneck</c>, whose squeeze-and-excitation rescales the branch before the sum.
/// The stride sits on the 3×3 convolution in both. Field names give their state-dict keys
/// (<c>conv1</c>…<c>bn3</c>, <c>downsample.0</c>, <c>se_module.fc1</c>).
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>, IOnnxModule
{
    /// <summary>Output channels per <c>planes</c>.</summary>
    public const int Expansion = 4;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> conv3;
    private readonly Module<Tensor, Tensor> bn3;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor>? se_module;
    private readonly Module<Tensor, Tensor>? downsample;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="planes">Bottleneck planes; the block outputs <c>planes × 4</c> channels.</param>
    /// <param name="stride">Stride of the 3×3 convolution (and of the shortcut projection).</param>
    /// <param name="groups">Groups of the 3×3 convolution (32 for ResNeXt 32×4d).</param>
    /// <param name="baseWidth">Width per group at 64 planes (4 for ResNeXt 32×4d, 64 for ResNet).</param>
    /// <param name="seReduction">Squeeze-and-excitation reduction (16 for SE-ResNeXt), or null for none.</param>
    public Bottleneck(long inChannels, long planes, long stride, long groups = 1, long baseWidth = 64, int? seReduction = null)
        : base(nameof(Bottleneck))
    {
        var width = planes * baseWidth / 64 * groups;
        var outChannels = planes * Expansion;
        conv1 = new Conv(inChannels, width, 1, bias: false);
        bn1 = new BatchNormalization(width);
        conv2 = new Conv(width, width, 3, stride, 1, bias: false, groups: groups);
        bn2 = new BatchNormalization(width);
        conv3 = new Conv(width, outChannels, 1, bias: false);
        bn3 = new BatchNormalization(outChannels);
        relu = ReLU(inplace: true);
        if (seReduction is { } reduction)
        {
            se_module = new SqueezeExcitation(outChannels, outChannels / reduction, ReLU(inplace: true));
        }
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Sequential(
                new Conv(inChannels, outChannels, 1, stride: stride, bias: false),
                new BatchNormalization(outChannels));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var y = relu.call(bn1.call(conv1.call(x)));
        y = relu.call(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        if (se_module is not null)
        {
            y = se_module.call(y);
        }
        return relu.call(y.add_(identity)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var identity = downsample is null ? input : graph.Apply(downsample, input);
        var y = graph.Apply(relu, graph.Apply(bn1, graph.Apply(conv1, input)));
        y = graph.Apply(relu, graph.Apply(bn2, graph.Apply(conv2, y)));
        y = graph.Apply(bn3, graph.Apply(conv3, y));
        if (se_module is not null)
        {
            y = graph.Apply(se_module, y);
        }
        return graph.Apply(relu, graph.Add(y, identity));
    }
}
