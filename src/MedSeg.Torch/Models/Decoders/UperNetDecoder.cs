using MedSeg.Torch.Models.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's UPerNet decoder (as mmseg's UPerHead): the stride-4…32 features are layer-normalised (<c>feature_norms</c>);
/// a pyramid pooling module runs on the deepest (<c>psp</c>); a top-down FPN adds 1×1 lateral conv-BN-ReLUs of the
/// stride-16, 8, 4 features to the bilinearly upsampled level above (<c>fpn_lateral_blocks</c>) and refines each with
/// a conv3×3-BN-ReLU (<c>fpn_conv_blocks</c>); all levels are resized to stride 4, concatenated finest first and
/// fused by a conv3×3-BN-ReLU (<c>fusion_block</c>). Output: N×channels×H/4×W/4.
/// </summary>
public sealed class UperNetDecoder : Module<Tensor[], Tensor>, IOnnxDecoder
{
    private readonly ModuleList<LayerNorm2d> feature_norms;
    private readonly PspModule psp;
    private readonly ModuleList<FpnLateralBlock> fpn_lateral_blocks;
    private readonly ModuleList<Module<Tensor, Tensor>> fpn_conv_blocks;
    private readonly Module<Tensor, Tensor> fusion_block;

    /// <param name="encoderChannels">Encoder feature channels, input first (<see cref="Encoder.OutChannels"/>).</param>
    public UperNetDecoder(IReadOnlyList<int> encoderChannels, int channels = 256) : base(nameof(UperNetDecoder))
    {
        var used = encoderChannels.Skip(2).ToArray();
        feature_norms = new ModuleList<LayerNorm2d>([.. used.Select(c => new LayerNorm2d(c))]);
        psp = new PspModule(used[^1], channels, [1, 2, 3, 6]);
        fpn_lateral_blocks = new ModuleList<FpnLateralBlock>();
        fpn_conv_blocks = new ModuleList<Module<Tensor, Tensor>>();
        foreach (var lateral in used[..^1].Reverse())
        {
            fpn_lateral_blocks.Add(new FpnLateralBlock(lateral, channels));
            fpn_conv_blocks.Add(Conv2dReLU.Create(channels, channels, 3));
        }
        fusion_block = Conv2dReLU.Create((fpn_conv_blocks.Count + 1) * channels, channels, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] encoderFeatures)
    {
        using var scope = NewDisposeScope();
        var features = encoderFeatures.Skip(2).Select((f, i) => feature_norms[i].call(f)).ToArray();
        var levels = new List<Tensor> { psp.call(features[^1]) };
        var laterals = features[..^1].Reverse().ToArray();
        for (var i = 0; i < fpn_lateral_blocks.Count; i++)
        {
            levels.Add(fpn_lateral_blocks[i].call(levels[^1], laterals[i]));
        }
        for (var i = 1; i < levels.Count; i++)
        {
            levels[i] = fpn_conv_blocks[i - 1].call(levels[i]);
        }
        var target = new[] { levels[^1].shape[2], levels[^1].shape[3] };
        var resized = levels.Select(level => functional.interpolate(level, size: target, mode: InterpolationMode.Bilinear, align_corners: false)).Reverse();
        return fusion_block.call(cat([.. resized], 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, IReadOnlyList<string> encoderFeatures)
    {
        var size = graph.RequireSpatialSize(psp, "its pyramid pooling averages a fixed grid of bins");
        var features = encoderFeatures.Skip(2).Select((f, i) => graph.Apply(feature_norms[i], f)).ToArray();
        var deepest = Encoder.UndilatedOutputStride;
        var levels = new List<string> { psp.ToOnnx(graph, features[^1], size[0] / deepest, size[1] / deepest) };
        var laterals = features[..^1].Reverse().ToArray();
        for (var i = 0; i < fpn_lateral_blocks.Count; i++)
        {
            levels.Add(fpn_lateral_blocks[i].ToOnnx(graph, levels[^1], laterals[i]));
        }
        for (var i = 1; i < levels.Count; i++)
        {
            levels[i] = graph.Apply(fpn_conv_blocks[i - 1], levels[i]);
        }
        var target = levels[^1];
        var resized = levels.Select(level => graph.ResizeLike(level, target, "linear")).Reverse();
        return graph.Apply(fusion_block, graph.Concat([.. resized]));
    }
}
