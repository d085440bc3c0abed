using MedSeg.Torch.Export;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>Global average pool and one linear layer registered under the reference name.</summary>
internal sealed class PooledLinearHead : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> linear;

    public PooledLinearHead(string name, long channels, long classes) : base(nameof(PooledLinearHead))
    {
        linear = Linear(channels, classes);
        register_module(name, linear);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return linear.call(x.mean([2, 3])).MoveToOuterDisposeScope();
    }

    public string ToOnnx(OnnxGraph graph, string input) => graph.Apply(linear, graph.GlobalAveragePoolFlat(input));
}
