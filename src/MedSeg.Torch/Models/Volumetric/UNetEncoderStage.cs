using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>pytorch-3dunet's <c>Encoder</c>: 2× max pooling (all but the first level; no parameters) then the level's <c>basic_module</c>.</summary>
public sealed class UNetEncoderStage : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor>? pooling;
    private readonly Module<Tensor, Tensor> basic_module;

    public UNetEncoderStage(Module<Tensor, Tensor> basicModule, bool pool, int spatialDims) : base(nameof(UNetEncoderStage))
    {
        if (pool)
        {
            pooling = spatialDims == 2 ? MaxPool2d(2) : MaxPool3d(2);
        }
        basic_module = basicModule;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (pooling is null)
        {
            return basic_module.call(x);
        }
        using var scope = NewDisposeScope();
        return basic_module.call(pooling.call(x)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input) =>
        graph.Apply(basic_module, pooling is null ? input : graph.Apply(pooling, input));
}
