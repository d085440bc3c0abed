using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// The encoder contract (smp's): <see cref="nn.Module{T, TResult}.forward"/> takes N×C×H×W and returns the feature
/// pyramid largest first — the input itself, then one feature per stride 2, 4, 8, 16, 32 — whose channel counts are
/// <see cref="OutChannels"/>. An encoder without a stride-2 stage returns an empty (0-channel) tensor there, as smp does.
/// </summary>
public abstract class Encoder : nn.Module<Tensor, Tensor[]>
{
    protected Encoder(string name) : base(name)
    {
    }

    /// <summary>Channels of the features <c>forward</c> returns, the input first.</summary>
    public abstract IReadOnlyList<int> OutChannels { get; }

    /// <summary>Ratio of the input size to the deepest feature's size; inputs must be multiples of it.</summary>
    public virtual int OutputStride => 32;
}
