using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's ConvNeXt <c>LayerNorm2d</c>: layer normalisation over the channels of an N×C×H×W tensor (keys <c>weight</c>, <c>bias</c>).</summary>
public sealed class LayerNorm2d : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly double eps;

    public LayerNorm2d(long channels, double eps = 1e-6) : base(nameof(LayerNorm2d))
    {
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.layer_norm(x.permute(0, 2, 3, 1), [weight.shape[0]], weight, bias, eps);
        return y.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var normalized = graph.Node("LayerNormalization", [graph.Transpose(input, 0, 2, 3, 1), graph.Weight(this, "weight", weight), graph.Weight(this, "bias", bias)],
            ("axis", -1L), ("epsilon", eps));
        return graph.Transpose(normalized, 0, 3, 1, 2);
    }
}
