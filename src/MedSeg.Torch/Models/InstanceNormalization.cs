using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models;

/// <summary>
/// PyTorch's <c>nn.InstanceNorm2d/3d(affine=True)</c> as nnU-Net configures it (eps 1e-5, no running statistics):
/// each channel of each sample is normalised over its own spatial extent, then scaled and shifted per channel
/// (keys <c>weight</c>, <c>bias</c>; initialised to ones and zeros). Training and inference behave the same, so a
/// batch of one or two patches is as well normalised as a large batch.
/// </summary>
public sealed class InstanceNormalization : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly double eps;

    public InstanceNormalization(long channels, double eps = 1e-5) : base(nameof(InstanceNormalization))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.instance_norm(x, weight: weight, bias: bias, eps: eps);

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input) => graph.Node("InstanceNormalization",
        [input, graph.Initializer($"{graph.PathOf(this)}.weight", weight), graph.Initializer($"{graph.PathOf(this)}.bias", bias)],
        ("epsilon", eps));
}
