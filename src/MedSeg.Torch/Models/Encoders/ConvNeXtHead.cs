using MedSeg.Torch.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's ConvNeXt head: pool, <c>classifier</c> = LayerNorm2d, Flatten, Linear.</summary>
internal sealed class ConvNeXtHead : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> classifier;

    public ConvNeXtHead(long channels, long classes) : base(nameof(ConvNeXtHead))
    {
        classifier = Sequential(new LayerNorm2d(channels), Flatten(1), Linear(channels, classes));
        RegisterComponents();
        TorchvisionInit.TruncatedNormal(this, convolutions: false);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return classifier.call(x.mean([2, 3], keepdim: true)).MoveToOuterDisposeScope();
    }

    public string ToOnnx(OnnxGraph graph, string input) => graph.Apply(classifier, graph.Node("GlobalAveragePool", [input]));
}
