using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// PyTorch's <c>nn.GroupNorm</c> (keys <c>weight</c>, <c>bias</c>; initialised to ones and zeros) for N×C×… tensors
/// of any spatial rank. MedSeg's own because TorchSharp 0.107's <c>GroupNorm</c> leaves its affine parameters
/// uninitialised (arbitrary memory, often 1e22), which poisons every network that uses it.
/// </summary>
public sealed class GroupNormalization : nn.Module<Tensor, Tensor>
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
}
