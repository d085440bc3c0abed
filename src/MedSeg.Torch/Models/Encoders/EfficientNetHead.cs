using MedSeg.Torch.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's EfficientNet head: <c>features.8</c> (1×1 conv to 4× channels), pool, dropout, <c>classifier.1</c>.</summary>
internal sealed class EfficientNetHead : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> convHead;
    private readonly Module<Tensor, Tensor> classifier;

    public EfficientNetHead(EfficientNetEncoder encoder, long classes) : base(nameof(EfficientNetHead))
    {
        // The last convolution lives in the encoder's features (key features.8), so only the classifier is registered here.
        convHead = encoder.AppendConvHead();
        var channels = 4L * encoder.OutChannels[^1];
        var linear = Linear(channels, classes);
        using (no_grad())
        {
            var range = 1 / Math.Sqrt(classes);
            nn.init.uniform_(linear.weight, -range, range);
            nn.init.zeros_(linear.bias);
        }
        classifier = Sequential(Dropout(encoder.ClassifierDropout, inplace: true), linear);
        register_module(nameof(classifier), classifier);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return classifier.call(convHead.call(x).mean([2, 3])).MoveToOuterDisposeScope();
    }

    public string ToOnnx(OnnxGraph graph, string input) => graph.Apply(classifier, graph.GlobalAveragePoolFlat(graph.Apply(convHead, input)));
}
