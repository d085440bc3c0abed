using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's ConvNeXt block: depthwise 7×7, LayerNorm, 1×1 expansion ×4 (as a linear layer on N×H×W×C), GELU,
/// projection, layer scale and stochastic depth on the residual branch. Keys: <c>block.0.weight</c> (depthwise
/// convolution), <c>block.2.weight</c> (LayerNorm), <c>block.3.weight</c>, <c>block.5.weight</c>, <c>layer_scale</c>.
/// </summary>
public sealed class CNBlock : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Sequential block;
    private readonly Parameter layer_scale;
    private readonly Module<Tensor, Tensor> stochastic_depth;

    /// <param name="dim">Channels.</param>
    /// <param name="layerScale">Initial layer scale (torchvision's 1e-6).</param>
    /// <param name="stochasticDepthProb">Probability of dropping the residual branch in training.</param>
    public CNBlock(long dim, double layerScale, double stochasticDepthProb) : base(nameof(CNBlock))
    {
        block = Sequential(
            new Conv(dim, dim, 7, padding: 3, groups: dim),
            new Permute(0, 2, 3, 1),
            LayerNorm(dim, eps: 1e-6),
            Linear(dim, 4 * dim),
            GELU(),
            Linear(4 * dim, dim),
            new Permute(0, 3, 1, 2));
        layer_scale = new Parameter(full(dim, 1, 1, layerScale));
        stochastic_depth = new StochasticDepth(stochasticDepthProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return stochastic_depth.call(layer_scale * block.call(x)).add(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var scaled = graph.Mul(graph.Weight(this, "layer_scale", layer_scale), graph.Apply(block, input));
        return graph.Add(graph.Apply(stochastic_depth, scaled), input);
    }
}
