using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models;

/// <summary>
/// PyTorch's <c>nn.GroupNorm</c> (keys <c>weight</c>, <c>bias</c>; initialised to ones and zeros) for N×C×… tensors
/// of any spatial rank. MedSeg's own because TorchSharp 0.107's <c>GroupNorm</c> leaves its affine parameters
/// uninitialised (arbitrary memory, often 1e22), which poisons every network that uses it.
/// </summary>
public sealed class GroupNormalization : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long groups;
    private readonly double eps;

    public GroupNormalization(long groups, long channels, double eps = 1e-5) : base(nameof(GroupNormalization))
    {
        if (groups < 1 || channels % groups != 0)
        {
            throw new ArgumentException($"{channels} channels cannot be split into {groups} groups", nameof(groups));
        }
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        this.groups = groups;
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.group_norm(x, groups, weight, bias, eps);

    /// <inheritdoc />
    /// <remarks>
    /// Opset 17 has no GroupNormalization: each group is normalised as one instance of N×groups×rest, then the
    /// per-channel affine applies.
    /// </remarks>
    public string ToOnnx(OnnxGraph graph, string input)
    {
        using var scope = NewDisposeScope();
        var grouped = graph.Reshape(input, 0, groups, -1);
        var normalized = graph.Node("InstanceNormalization",
            [grouped, graph.Initializer($"{graph.PathOf(this)}.group_scale", ones(groups)), graph.Initializer($"{graph.PathOf(this)}.group_shift", zeros(groups))],
            ("epsilon", eps));
        // The affine runs on N×C×rest, where a C×1 weight broadcasts whatever the input's rank.
        var flat = graph.Reshape(normalized, 0, weight.shape[0], -1);
        var affine = graph.Add(graph.Mul(flat, graph.Initializer($"{graph.PathOf(this)}.weight", weight.unsqueeze(1))),
            graph.Initializer($"{graph.PathOf(this)}.bias", bias.unsqueeze(1)));
        return graph.Node("Reshape", [affine, graph.Node("Shape", [input])]);
    }
}
