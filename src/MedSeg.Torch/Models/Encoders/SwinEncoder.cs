using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's Swin-T <c>features</c> as an encoder: a 4×4 stride-4 patch embedding, then four stages of shifted-
/// window transformer blocks (window 7, padded inside to whole windows) separated by patch merging. Swin has no
/// stride-2 feature: that slot is an empty 0-channel tensor, as smp returns for such encoders; then the outputs of
/// <c>features.1</c>, <c>.3</c>, <c>.5</c>, <c>.7</c> (strides 4…32: 96, 192, 384, 768 channels) as N×C×H×W.
/// Keys as torchvision: <c>features.0.0.weight</c>, <c>features.1.0.attn.qkv.weight</c>, <c>features.2.reduction.weight</c>, ...
/// </summary>
public sealed class SwinEncoder : Encoder
{
    /// <summary>Embedding width, blocks and heads per stage, window and default stochastic depth (torchvision's swin_t).</summary>
    private static readonly Dictionary<string, (int Embed, int[] Depths, int[] Heads, int Window, double StochasticDepth)> Variants = new()
    {
        ["swin_t"] = (96, [2, 2, 6, 2], [3, 6, 12, 24], 7, 0.2),
    };

    private readonly Sequential features;
    private readonly int[] outChannels;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutChannels => outChannels;

    /// <param name="name">Variant: swin_t.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="stochasticDepthProb">Stochastic depth of the last block, linear in block index; null for torchvision's default.</param>
    public SwinEncoder(string name, int inChannels, double? stochasticDepthProb = null) : base(name)
    {
        if (!Variants.TryGetValue(name, out var variant))
        {
            throw new MedSegException($"unknown Swin encoder '{name}'; valid: {string.Join(", ", Variants.Keys)}.");
        }
        var maxDrop = stochasticDepthProb ?? variant.StochasticDepth;
        var totalBlocks = variant.Depths.Sum();
        var layers = new List<Module<Tensor, Tensor>>
        {
            Sequential(new Conv(inChannels, variant.Embed, 4, stride: 4), new Permute(0, 2, 3, 1), LayerNorm(variant.Embed)),
        };
        var blockId = 0;
        var widths = new int[4];
        for (var s = 0; s < 4; s++)
        {
            widths[s] = variant.Embed << s;
            var blocks = new List<Module<Tensor, Tensor>>();
            for (var b = 0; b < variant.Depths[s]; b++, blockId++)
            {
                blocks.Add(new SwinTransformerBlock(widths[s], variant.Heads[s], variant.Window,
                    b % 2 == 0 ? 0 : variant.Window / 2, maxDrop * blockId / (totalBlocks - 1.0)));
            }
            layers.Add(Sequential(blocks));
            if (s < 3)
            {
                layers.Add(new PatchMerging(widths[s]));
            }
        }
        features = Sequential(layers);
        outChannels = [inChannels, 0, .. widths];
        RegisterComponents();
        TorchvisionInit.TruncatedNormal(this, convolutions: false);
    }

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor> { zeros([x.shape[0], 0, x.shape[2] / 2, x.shape[3] / 2], x.dtype, x.device) };
        var y = x;
        for (var i = 0; i < 8; i++)
        {
            y = features[i].call(y);
            if (i % 2 == 1)
            {
                outputs.Add(y.permute(0, 3, 1, 2));
            }
        }
        return [x, .. outputs.Select(f => f.MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ToOnnx(OnnxGraph graph, string input)
    {
        var size = graph.RequireSpatialSize(this, "its attention windows and shift masks are laid out for one size");
        var (height, width) = (size[0] / 4, size[1] / 4);
        var outputs = new List<string> { input, "" };
        var y = graph.Apply(features[0], input);
        for (var i = 1; i < 8; i++)
        {
            if (i % 2 == 1)
            {
                foreach (var block in ((Sequential)features[i]).children().Cast<SwinTransformerBlock>())
                {
                    y = block.ToOnnx(graph, y, height, width);
                }
                outputs.Add(graph.Transpose(y, 0, 3, 1, 2));
                continue;
            }
            y = ((PatchMerging)features[i]).ToOnnx(graph, y, height, width);
            (height, width) = ((height + 1) / 2, (width + 1) / 2);
        }
        return outputs;
    }
}
