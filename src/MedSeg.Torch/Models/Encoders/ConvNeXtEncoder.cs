using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's ConvNeXt-Tiny/Small/Base <c>features</c> as an encoder: a 4×4 stride-4 patch stem, then four stages
/// of <see cref="CNBlock"/>s separated by LayerNorm + 2×2 stride-2 downsampling. ConvNeXt has no stride-2 feature:
/// that slot is an empty 0-channel tensor, as smp returns for such encoders; then the outputs of <c>features.1</c>,
/// <c>.3</c>, <c>.5</c>, <c>.7</c> (strides 4…32). Keys as torchvision: <c>features.0.0.weight</c>,
/// <c>features.1.0.block.0.weight</c>, <c>features.2.1.weight</c>, ...
/// </summary>
public sealed class ConvNeXtEncoder : Encoder
{
    /// <summary>Stage widths, blocks per stage and default stochastic depth of each variant (torchvision's builders).</summary>
    private static readonly Dictionary<string, (int[] Widths, int[] Blocks, double StochasticDepth)> Variants = new()
    {
        ["convnext_tiny"] = ([96, 192, 384, 768], [3, 3, 9, 3], 0.1),
        ["convnext_small"] = ([96, 192, 384, 768], [3, 3, 27, 3], 0.4),
        ["convnext_base"] = ([128, 256, 512, 1024], [3, 3, 27, 3], 0.5),
    };

    private readonly Sequential features;
    private readonly int[] outChannels;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutChannels => outChannels;

    /// <param name="name">Variant: convnext_tiny, convnext_small or convnext_base.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="stochasticDepthProb">Stochastic depth of the last block, linear in block index; null for torchvision's default.</param>
    public ConvNeXtEncoder(string name, int inChannels, double? stochasticDepthProb = null) : base(name)
    {
        if (!Variants.TryGetValue(name, out var variant))
        {
            throw new MedSegException($"unknown ConvNeXt encoder '{name}'; valid: {string.Join(", ", Variants.Keys)}.");
        }
        var maxDrop = stochasticDepthProb ?? variant.StochasticDepth;
        var widths = variant.Widths;
        var totalBlocks = variant.Blocks.Sum();
        var layers = new List<Module<Tensor, Tensor>>
        {
            Sequential(new Conv(inChannels, widths[0], 4, stride: 4), new LayerNorm2d(widths[0])),
        };
        var blockId = 0;
        for (var s = 0; s < 4; s++)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (var b = 0; b < variant.Blocks[s]; b++, blockId++)
            {
                blocks.Add(new CNBlock(widths[s], 1e-6, maxDrop * blockId / (totalBlocks - 1.0)));
            }
            layers.Add(Sequential(blocks));
            if (s < 3)
            {
                layers.Add(Sequential(new LayerNorm2d(widths[s]), new Conv(widths[s], widths[s + 1], 2, stride: 2)));
            }
        }
        features = Sequential(layers);
        outChannels = [inChannels, 0, .. widths];
        RegisterComponents();
        TorchvisionInit.TruncatedNormal(this, convolutions: true);
    }

    /// <inheritdoc />
    /// <remarks>
    /// timm's dilated ConvNeXt stage: the LayerNorm + 2×2 downsampling (<c>features.4</c> / <c>.6</c>) as entry, at the
    /// previous rate with "same" padding, then the blocks (<c>features.5</c> / <c>.7</c>) at the stage's rate.
    /// </remarks>
    protected override (IReadOnlyList<Module> Entry, IReadOnlyList<Module> Body)? DilatableStage(int stride)
    {
        var downsample = stride == 16 ? 4 : 6;
        return ([(Module)features[downsample]], [(Module)features[downsample + 1]]);
    }

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        var y = x;
        for (var i = 0; i < 8; i++)
        {
            y = features[i].call(y);
            if (i % 2 == 1)
            {
                outputs.Add(y);
            }
        }
        var empty = zeros([x.shape[0], 0, x.shape[2] / 2, x.shape[3] / 2], x.dtype, x.device);
        return [x, .. new[] { empty }.Concat(outputs).Select(f => f.MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ToOnnx(OnnxGraph graph, string input)
    {
        var outputs = new List<string> { input, "" };
        var y = input;
        for (var i = 0; i < 8; i++)
        {
            y = graph.Apply(features[i], y);
            if (i % 2 == 1)
            {
                outputs.Add(y);
            }
        }
        return outputs;
    }
}
