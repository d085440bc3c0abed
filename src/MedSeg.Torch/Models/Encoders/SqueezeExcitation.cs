using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// Squeeze-and-excitation: global average pool, 1×1 convolution to <c>squeezeChannels</c>, activation, 1×1
/// convolution back, sigmoid, channel-wise rescale. Serves torchvision's <c>SqueezeExcitation</c> (SiLU, in
/// EfficientNet's MBConv) and pretrainedmodels' <c>SEModule</c> (ReLU); both keep their weights in <c>fc1</c>/<c>fc2</c>.
/// </summary>
public sealed class SqueezeExcitation : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> activation;
    private readonly Module<Tensor, Tensor> fc2;

    public SqueezeExcitation(long channels, long squeezeChannels, Module<Tensor, Tensor> activation)
        : base(nameof(SqueezeExcitation))
    {
        fc1 = new Conv(channels, squeezeChannels, 1);
        this.activation = activation;
        fc2 = new Conv(squeezeChannels, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var scale = fc2.call(activation.call(fc1.call(x.mean([2, 3], keepdim: true)))).sigmoid_();
        return (x * scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var pooled = graph.Node("GlobalAveragePool", [input]);
        var scale = graph.Sigmoid(graph.Apply(fc2, graph.Apply(activation, graph.Apply(fc1, pooled))));
        return graph.Mul(input, scale);
    }
}
