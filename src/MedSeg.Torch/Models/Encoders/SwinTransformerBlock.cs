using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's <c>SwinTransformerBlock</c> (v1, pre-norm) on N×H×W×C: window attention and a GELU MLP (×4), each
/// residual with stochastic depth. Keys: <c>norm1</c>, <c>attn.*</c>, <c>norm2</c>, <c>mlp.0</c>, <c>mlp.3</c>.
/// </summary>
public sealed class SwinTransformerBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm1;
    private readonly Module<Tensor, Tensor> attn;
    private readonly Module<Tensor, Tensor> stochastic_depth;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> mlp;

    public SwinTransformerBlock(long dim, long heads, int window, int shift, double stochasticDepthProb)
        : base(nameof(SwinTransformerBlock))
    {
        norm1 = LayerNorm(dim);
        attn = new ShiftedWindowAttention(dim, window, shift, heads);
        stochastic_depth = new StochasticDepth(stochasticDepthProb);
        norm2 = LayerNorm(dim);
        // torchvision's ops.MLP: Linear, GELU, Dropout, Linear, Dropout (dropout 0 for swin_t).
        mlp = Sequential(Linear(dim, 4 * dim), GELU(), Dropout(0), Linear(4 * dim, dim), Dropout(0));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x + stochastic_depth.call(attn.call(norm1.call(x)));
        return (y + stochastic_depth.call(mlp.call(norm2.call(y)))).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes, on an N×<paramref name="height"/>×<paramref name="width"/>×C input.</summary>
    public string ToOnnx(OnnxGraph graph, string input, long height, long width)
    {
        var attention = ((ShiftedWindowAttention)attn).ToOnnx(graph, graph.Apply(norm1, input), height, width);
        var y = graph.Add(input, graph.Apply(stochastic_depth, attention));
        return graph.Add(y, graph.Apply(stochastic_depth, graph.Apply(mlp, graph.Apply(norm2, y))));
    }
}
