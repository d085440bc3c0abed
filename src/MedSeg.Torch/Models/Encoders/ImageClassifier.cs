using MedSeg.Torch.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// An encoder with its reference classification head (<see cref="ClassificationHeads"/>): N×C×H×W in, N×classes
/// logits out. With 3 input channels and 1000 classes it is torchvision's (or pretrainedmodels') classifier with the
/// same parameter count and state-dict keys: the encoder's and the head's children are registered at the top level
/// (<c>conv1.weight</c>, <c>layer4.2.bn2.bias</c>, <c>fc.weight</c>; <c>features.8.0.weight</c>,
/// <c>classifier.1.weight</c>; ...), so ImageNet checkpoints load as they are. Also the per-class
/// "slice contains this organ" gate classifier.
/// </summary>
public sealed class ImageClassifier : Module<Tensor, Tensor>, IOnnxModule
{
    // Not registered themselves: their children are, under the reference names (see the constructor).
    private readonly Encoder encoder;
    private readonly Module<Tensor, Tensor> head;

    /// <param name="encoderName">A name from <see cref="EncoderRegistry.Names"/>.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="classes">Logits per image.</param>
    public ImageClassifier(string encoderName, int inChannels = 3, int classes = 1000) : base(nameof(ImageClassifier))
    {
        InChannels = inChannels;
        Classes = classes;
        encoder = EncoderRegistry.Create(encoderName, inChannels);
        head = ClassificationHeads.Create(encoder, classes);
        foreach (var (name, child) in encoder.named_children().Concat(head.named_children()))
        {
            register_module(name, child);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Logits per image.</summary>
    public int Classes { get; }

    /// <summary>The encoder whose deepest feature the head classifies.</summary>
    public Encoder Encoder => encoder;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(encoder.call(x)[^1]).MoveToOuterDisposeScope();
    }

    /// <summary>The inference-mode forward pass as ONNX nodes: the head on the encoder's deepest feature (N×classes logits).</summary>
    public string ToOnnx(OnnxGraph graph, string input) => graph.Apply(head, encoder.ToOnnx(graph, input)[^1]);

    /// <summary>Also switches the (unregistered) encoder and head objects, whose forward passes read their own mode.</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        encoder.train(on);
        head.train(on);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            head.Dispose();
        }
        base.Dispose(disposing);
    }
}
