using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's U-Net decoder: starts from the deepest feature and, block by block, upsamples ×2 and fuses the next
/// shallower encoder feature (the stride-1 input is never used as a skip). Keys <c>blocks.N.*</c>.
/// </summary>
public sealed class UnetDecoder : Module<Tensor[], Tensor>, IOnnxDecoder
{
    private readonly ModuleList<DecoderBlock> blocks;

    /// <param name="encoderChannels">Encoder feature channels, input first (<see cref="Encoder.OutChannels"/>).</param>
    /// <param name="decoderChannels">Output channels of each block, deepest first (smp default 256, 128, 64, 32, 16).</param>
    public UnetDecoder(IReadOnlyList<int> encoderChannels, IReadOnlyList<int> decoderChannels) : base(nameof(UnetDecoder))
    {
        var reversed = encoderChannels.Skip(1).Reverse().ToArray();
        var inChannels = new[] { reversed[0] }.Concat(decoderChannels.Take(decoderChannels.Count - 1)).ToArray();
        var skipChannels = reversed.Skip(1).Append(0).ToArray();
        blocks = new ModuleList<DecoderBlock>();
        for (var i = 0; i < decoderChannels.Count; i++)
        {
            blocks.Add(new DecoderBlock(inChannels[i], skipChannels[i], decoderChannels[i]));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] features)
    {
        using var scope = NewDisposeScope();
        var x = features[^1];
        for (var i = 0; i < blocks.Count; i++)
        {
            var skipIndex = features.Length - 2 - i;
            var skip = skipIndex >= 1 ? features[skipIndex] : null;
            x = blocks[i].call(x, skip);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, IReadOnlyList<string> features)
    {
        var x = features[^1];
        for (var i = 0; i < blocks.Count; i++)
        {
            var skipIndex = features.Count - 2 - i;
            x = blocks[i].ToOnnx(graph, x, skipIndex >= 1 ? features[skipIndex] : null);
        }
        return x;
    }
}
