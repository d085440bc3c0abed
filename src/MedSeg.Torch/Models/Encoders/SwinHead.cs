using MedSeg.Torch.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's Swin head: <c>norm</c> (LayerNorm over channels), pool, <c>head</c> (Linear).</summary>
internal sealed class SwinHead : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> norm;
    private readonly Module<Tensor, Tensor> head;

    public SwinHead(long channels, long classes) : base(nameof(SwinHead))
    {
        norm = LayerNorm(channels);
        head = Linear(channels, classes);
        RegisterComponents();
        TorchvisionInit.TruncatedNormal(this, convolutions: false);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(norm.call(x.permute(0, 2, 3, 1)).mean([1, 2])).MoveToOuterDisposeScope();
    }

    public string ToOnnx(OnnxGraph graph, string input)
    {
        var normalized = graph.Apply(norm, graph.Transpose(input, 0, 2, 3, 1));
        return graph.Apply(head, graph.Node("ReduceMean", [normalized], ("axes", new long[] { 1, 2 }), ("keepdims", 0L)));
    }
}
