using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// MONAI's <c>SegResNet</c> (Myronenko 2018, without the VAE branch), the 3D network of the 1st-place UW-Madison team:
/// an initial conv3×3 to <c>init_filters</c>, down levels of pre-activation residual blocks (<c>blocks_down</c>, each
/// level after the first entered by a stride-2 conv3×3 doubling the width), up levels (1×1 conv halving the width,
/// ×2 linear upsampling, sum with the skip, <c>blocks_up</c> residual blocks) and GroupNorm → ReLU → 1×1 conv with
/// bias. GroupNorm(8) throughout. Keys follow MONAI (<c>convInit.conv.weight</c>, <c>down_layers.N.M.*</c>,
/// <c>up_layers.*</c>, <c>up_samples.N.0.conv.weight</c>, <c>conv_final.*</c>). One code path for 2D and 3D.
/// </summary>
public sealed class SegResNet : SegmentationModel
{
    public const int DefaultInitFilters = 8;
    public static readonly IReadOnlyList<int> DefaultBlocksDown = [1, 2, 2, 4];
    public static readonly IReadOnlyList<int> DefaultBlocksUp = [1, 1, 1];

    private readonly Module<Tensor, Tensor> convInit;
    private readonly ModuleList<Module<Tensor, Tensor>> down_layers;
    private readonly ModuleList<Module<Tensor, Tensor>> up_layers;
    private readonly ModuleList<Module<Tensor, Tensor>> up_samples;
    private readonly Module<Tensor, Tensor> conv_final;

    /// <param name="blocksDown">Residual blocks per down level (MONAI default 1, 2, 2, 4).</param>
    /// <param name="blocksUp">Residual blocks per up level, one level fewer than down (MONAI default 1, 1, 1).</param>
    public SegResNet(int inChannels, int classes, int initFilters = DefaultInitFilters, IReadOnlyList<int>? blocksDown = null,
        IReadOnlyList<int>? blocksUp = null, int numGroups = 8, int spatialDims = 3, ModelOptions? options = null)
        // Null block lists mean MONAI's defaults; they are settled here, in the first use, for the base call and the body alike.
        : base(nameof(SegResNet), spatialDims, inChannels, classes, 1 << (CheckedLevels(blocksDown ??= DefaultBlocksDown, blocksUp ??= DefaultBlocksUp) - 1),
            (long)initFilters << (blocksDown.Count - 1), options ?? ModelOptions.Default)
    {
        if (initFilters < numGroups || initFilters % numGroups != 0)
        {
            throw new MedSegException($"SegResNet's init_filters ({initFilters}) must be a positive multiple of its {numGroups} GroupNorm groups.");
        }
        convInit = Convolution(inChannels, initFilters, 3, 1, bias: false, spatialDims);
        down_layers = new ModuleList<Module<Tensor, Tensor>>();
        for (var i = 0; i < blocksDown.Count; i++)
        {
            long width = (long)initFilters << i;
            var layers = new List<Module<Tensor, Tensor>>
            {
                i > 0 ? Convolution(width / 2, width, 3, 2, bias: false, spatialDims) : Identity(),
            };
            layers.AddRange(Enumerable.Range(0, blocksDown[i]).Select(_ => new SegResBlock(width, numGroups, spatialDims)));
            down_layers.Add(Sequential(layers));
        }
        up_layers = new ModuleList<Module<Tensor, Tensor>>();
        up_samples = new ModuleList<Module<Tensor, Tensor>>();
        for (var i = 0; i < blocksUp.Count; i++)
        {
            long width = (long)initFilters << (blocksUp.Count - i);
            up_layers.Add(Sequential(Enumerable.Range(0, blocksUp[i]).Select(_ => (Module<Tensor, Tensor>)new SegResBlock(width / 2, numGroups, spatialDims))));
            up_samples.Add(Sequential(
                Convolution(width, width / 2, 1, 1, bias: false, spatialDims),
                Upsample(scale_factor: [.. Enumerable.Repeat(2.0, spatialDims)],
                    mode: spatialDims == 2 ? UpsampleMode.Bilinear : UpsampleMode.Trilinear, align_corners: false)));
        }
        conv_final = Sequential(
            new GroupNormalization(numGroups, initFilters),
            ReLU(inplace: true),
            Convolution(initFilters, classes, 1, 1, bias: true, spatialDims));
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override IEnumerable<Module> OutputLayers => [conv_final];

    /// <summary>The SegResNet configuration with <paramref name="levels"/> resolution levels: MONAI's 1, 2, 2, 4 blocks down (4 beyond), one block up per level.</summary>
    public static (int[] BlocksDown, int[] BlocksUp) Blocks(int levels) =>
        ([.. Enumerable.Range(0, levels).Select(i => i == 0 ? 1 : i <= 2 ? 2 : 4)], [.. Enumerable.Repeat(1, Math.Max(0, levels - 1))]);

    /// <summary>MONAI's <c>Convolution(conv_only=True)</c>: the convolution sits in a child named <c>conv</c>, "same" padding.</summary>
    internal static Module<Tensor, Tensor> Convolution(long inChannels, long outChannels, long kernelSize, long stride, bool bias, int spatialDims) =>
        Sequential(("conv", new Conv(inChannels, outChannels, kernelSize, stride, padding: kernelSize / 2, bias: bias, spatialDims: spatialDims)));

    private static int CheckedLevels(IReadOnlyList<int> blocksDown, IReadOnlyList<int> blocksUp)
    {
        if (blocksDown.Count < 1 || blocksUp.Count != blocksDown.Count - 1 || blocksDown.Concat(blocksUp).Any(b => b < 0))
        {
            throw new MedSegException(
                $"SegResNet needs blocks_down for each level and blocks_up for one level fewer (e.g. 1,2,2,4 and 1,1,1); got {string.Join(",", blocksDown)} and {string.Join(",", blocksUp)}.");
        }
        return blocksDown.Count;
    }

    /// <inheritdoc />
    protected override (Tensor Mask, Tensor Deepest) Run(Tensor x)
    {
        x = convInit.call(x);
        var skips = new List<Tensor>();
        foreach (var down in down_layers)
        {
            x = down.call(x);
            skips.Add(x);
        }
        var deepest = x;
        for (var i = 0; i < up_samples.Count; i++)
        {
            x = up_layers[i].call(up_samples[i].call(x).add_(skips[^(i + 2)]));
        }
        return (conv_final.call(x), deepest);
    }

    /// <inheritdoc />
    protected override (string Mask, string Deepest) RunOnnx(OnnxGraph graph, string input)
    {
        var x = graph.Apply(convInit, input);
        var skips = new List<string>();
        foreach (var down in down_layers)
        {
            x = graph.Apply(down, x);
            skips.Add(x);
        }
        var deepest = x;
        for (var i = 0; i < up_samples.Count; i++)
        {
            x = graph.Apply(up_layers[i], graph.Add(graph.Apply(up_samples[i], x), skips[^(i + 2)]));
        }
        return (graph.Apply(conv_final, x), deepest);
    }
}
