using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's EfficientNet-B0…B7 <c>features</c> without the final 1×1 convolution (<c>features.8</c>, used only
/// by the classifier), as an encoder: the input, then the stem (<c>features.0</c>, stride 2), then the outputs of
/// <c>features.2</c> (stride 4), <c>features.3</c> (8), <c>features.5</c> (16) and <c>features.7</c> (32) — the
/// feature choice of smp's EfficientNet encoders (B0: 32, 24, 40, 112, 320 channels). Keys as torchvision:
/// <c>features.0.0.weight</c>, <c>features.1.0.block.0.0.weight</c>, ...
/// </summary>
public sealed class EfficientNetEncoder : Encoder
{
    /// <summary>torchvision's B0 stages: expand ratio, kernel, stride, input and output channels, blocks.</summary>
    private static readonly (double Expand, long Kernel, long Stride, long In, long Out, int Blocks)[] B0Stages =
    [
        (1, 3, 1, 32, 16, 1),
        (6, 3, 2, 16, 24, 2),
        (6, 5, 2, 24, 40, 2),
        (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3),
        (6, 5, 2, 112, 192, 4),
        (6, 3, 1, 192, 320, 1),
    ];

    /// <summary>Width and depth multipliers and classifier dropout of each variant (torchvision's builders).</summary>
    private static readonly Dictionary<string, (double Width, double Depth, double Dropout)> Variants = new()
    {
        ["efficientnet-b0"] = (1.0, 1.0, 0.2),
        ["efficientnet-b1"] = (1.0, 1.1, 0.2),
        ["efficientnet-b2"] = (1.1, 1.2, 0.3),
        ["efficientnet-b3"] = (1.2, 1.4, 0.3),
        ["efficientnet-b4"] = (1.4, 1.8, 0.4),
        ["efficientnet-b5"] = (1.6, 2.2, 0.4),
        ["efficientnet-b6"] = (1.8, 2.6, 0.5),
        ["efficientnet-b7"] = (2.0, 3.1, 0.5),
    };

    /// <summary>Indices into <c>features</c> whose outputs are the stride 2, 4, 8, 16 and 32 features.</summary>
    private static readonly int[] FeatureIndices = [0, 2, 3, 5, 7];

    private readonly Sequential features;
    private readonly int[] outChannels;
    private readonly double bnEps;
    private readonly double bnMomentum;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutChannels => outChannels;

    /// <summary>Dropout before the classifier's linear layer (torchvision's per-variant value).</summary>
    public double ClassifierDropout { get; }

    /// <param name="name">Variant: efficientnet-b0 … efficientnet-b7.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="stochasticDepthProb">Stochastic depth of the last block (torchvision's 0.2), linear in block index.</param>
    public EfficientNetEncoder(string name, int inChannels, double stochasticDepthProb = 0.2) : base(name)
    {
        if (!Variants.TryGetValue(name, out var variant))
        {
            throw new MedSegException($"unknown EfficientNet encoder '{name}'; valid: {string.Join(", ", Variants.Keys)}.");
        }
        ClassifierDropout = variant.Dropout;
        // torchvision builds B5…B7 with BatchNorm2d(eps=0.001, momentum=0.01), the others with the defaults.
        (bnEps, bnMomentum) = variant.Width >= 1.6 ? (1e-3, 0.01) : (1e-5, 0.1);
        var stages = B0Stages
            .Select(s => s with
            {
                In = MakeDivisible(s.In * variant.Width),
                Out = MakeDivisible(s.Out * variant.Width),
                Blocks = (int)Math.Ceiling(s.Blocks * variant.Depth),
            })
            .ToArray();
        var totalBlocks = stages.Sum(s => s.Blocks);
        var layers = new List<Module<Tensor, Tensor>>
        {
            ConvNormActivation.Create(inChannels, stages[0].In, 3, stride: 2, activation: SiLU(), bnEps: bnEps, bnMomentum: bnMomentum),
        };
        var blockId = 0;
        foreach (var s in stages)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (var b = 0; b < s.Blocks; b++, blockId++)
            {
                blocks.Add(new MBConv(s.Expand, s.Kernel, b == 0 ? s.Stride : 1, b == 0 ? s.In : s.Out, s.Out,
                    stochasticDepthProb * blockId / totalBlocks, bnEps, bnMomentum));
            }
            layers.Add(Sequential(blocks));
        }
        features = Sequential(layers);
        int[] channels = [(int)stages[0].In, (int)stages[1].Out, (int)stages[2].Out, (int)stages[4].Out, (int)stages[6].Out];
        outChannels = [inChannels, .. channels];
        RegisterComponents();
        TorchvisionInit.KaimingNormalConvolutions(this);
    }

    /// <summary>torchvision's <c>_make_divisible(v, 8)</c>: the nearest multiple of 8, never more than 10 % below <paramref name="v"/>.</summary>
    internal static long MakeDivisible(double v)
    {
        const int divisor = 8;
        var rounded = Math.Max(divisor, (long)(v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    /// <summary>
    /// Appends torchvision's last 1×1 convolution (to 4× the deepest channels, BatchNorm, SiLU) as <c>features.8</c>
    /// and returns it. Only the classification model calls this: the encoder's own forward never runs it.
    /// </summary>
    internal Module<Tensor, Tensor> AppendConvHead()
    {
        if (features.Count != FeatureIndices[^1] + 1)
        {
            throw new InvalidOperationException($"encoder '{GetName()}' already has its classifier convolution (features.8).");
        }
        var deepest = outChannels[^1];
        var head = ConvNormActivation.Create(deepest, 4 * deepest, 1, activation: SiLU(), bnEps: bnEps, bnMomentum: bnMomentum);
        TorchvisionInit.KaimingNormalConvolutions(head);
        features.append(head);
        return head;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The blocks after the previous feature: <c>features.4</c>, <c>.5</c> (stride 16) or <c>features.6</c>, <c>.7</c>
    /// (stride 32), as smp's EfficientNet stages.
    /// </remarks>
    protected override (IReadOnlyList<Module> Entry, IReadOnlyList<Module> Body)? DilatableStage(int stride)
    {
        var level = FeatureIndices.Length - (stride == 16 ? 2 : 1);
        var first = FeatureIndices[level - 1] + 1;
        return ([], [.. Enumerable.Range(first, FeatureIndices[level] - first + 1).Select(i => (Module)features[i])]);
    }

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor> { x };
        var y = x;
        for (var i = 0; i <= FeatureIndices[^1]; i++)
        {
            y = features[i].call(y);
            if (FeatureIndices.Contains(i))
            {
                outputs.Add(y);
            }
        }
        return [x, .. outputs.Skip(1).Select(f => f.MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ToOnnx(OnnxGraph graph, string input)
    {
        var outputs = new List<string> { input };
        var y = input;
        for (var i = 0; i <= FeatureIndices[^1]; i++)
        {
            y = graph.Apply(features[i], y);
            if (FeatureIndices.Contains(i))
            {
                outputs.Add(y);
            }
        }
        return outputs;
    }
}
