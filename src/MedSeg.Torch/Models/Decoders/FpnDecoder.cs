using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's FPN decoder: a top-down pyramid (<c>p5</c> 1×1 on the stride-32 feature, <c>p4</c>…<c>p2</c> adding 1×1
/// lateral convolutions of the stride-16…4 features to the ×2 nearest-upsampled level above), then one segmentation
/// block per level bringing it to stride 4, summed, with 2D dropout. Output: N×segmentation channels×H/4×W/4.
/// </summary>
public sealed class FpnDecoder : Module<Tensor[], Tensor>, IOnnxDecoder
{
    private readonly Module<Tensor, Tensor> p5;
    private readonly FpnBlock p4;
    private readonly FpnBlock p3;
    private readonly FpnBlock p2;
    private readonly ModuleList<Module<Tensor, Tensor>> seg_blocks;
    private readonly Module<Tensor, Tensor> dropout;

    /// <param name="encoderChannels">Encoder feature channels, input first (<see cref="Encoder.OutChannels"/>).</param>
    public FpnDecoder(IReadOnlyList<int> encoderChannels, int pyramidChannels = 256, int segmentationChannels = 128,
        double dropout = 0.2) : base(nameof(FpnDecoder))
    {
        var reversed = encoderChannels.Reverse().ToArray();
        p5 = new Conv(reversed[0], pyramidChannels, 1);
        p4 = new FpnBlock(pyramidChannels, reversed[1]);
        p3 = new FpnBlock(pyramidChannels, reversed[2]);
        p2 = new FpnBlock(pyramidChannels, reversed[3]);
        seg_blocks = new ModuleList<Module<Tensor, Tensor>>();
        foreach (var upsamples in new[] { 3, 2, 1, 0 })
        {
            seg_blocks.Add(SegmentationBlock(pyramidChannels, segmentationChannels, upsamples));
        }
        this.dropout = Dropout2d(dropout, inplace: true);
        RegisterComponents();
    }

    /// <summary>
    /// smp's <c>SegmentationBlock</c> (keys <c>block.N.block.*</c>): conv3×3-GroupNorm(32)-ReLU layers, each followed by a
    /// ×2 upsampling, <paramref name="upsamples"/> times (at least one layer).
    /// </summary>
    private static Module<Tensor, Tensor> SegmentationBlock(long inChannels, long outChannels, int upsamples)
    {
        var layers = new List<Module<Tensor, Tensor>> { new Conv3x3GNReLU(inChannels, outChannels, upsamples > 0) };
        for (var i = 1; i < upsamples; i++)
        {
            layers.Add(new Conv3x3GNReLU(outChannels, outChannels, true));
        }
        return Sequential(("block", Sequential(layers)));
    }

    public override Tensor forward(Tensor[] features)
    {
        using var scope = NewDisposeScope();
        var (c2, c3, c4, c5) = (features[^4], features[^3], features[^2], features[^1]);
        var l5 = p5.call(c5);
        var l4 = p4.call(l5, c4);
        var l3 = p3.call(l4, c3);
        var l2 = p2.call(l3, c2);
        var merged = seg_blocks[0].call(l5).add_(seg_blocks[1].call(l4)).add_(seg_blocks[2].call(l3)).add_(seg_blocks[3].call(l2));
        return dropout.call(merged).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, IReadOnlyList<string> features)
    {
        var l5 = graph.Apply(p5, features[^1]);
        var l4 = p4.ToOnnx(graph, l5, features[^2]);
        var l3 = p3.ToOnnx(graph, l4, features[^3]);
        var l2 = p2.ToOnnx(graph, l3, features[^4]);
        var merged = new[] { l5, l4, l3, l2 }.Select((l, i) => graph.Apply(seg_blocks[i], l)).Aggregate(graph.Add);
        return graph.Apply(dropout, merged);
    }
}
