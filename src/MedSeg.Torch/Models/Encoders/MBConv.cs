using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's EfficientNet <c>MBConv</c>: 1×1 expansion (skipped at ratio 1), depthwise k×k, squeeze-and-excitation
/// (squeeze to a quarter of the input channels), 1×1 projection, and a residual with stochastic depth where the
/// shapes allow. Keys: <c>block.0.0.weight</c>, <c>block.N.fc1.weight</c>, ...
/// </summary>
public sealed class MBConv : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Sequential block;
    private readonly Module<Tensor, Tensor> stochastic_depth;
    private readonly bool useResidual;

    /// <param name="expandRatio">Expansion ratio of the 1×1 convolution (1 or 6).</param>
    /// <param name="kernelSize">Depthwise kernel (3 or 5).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stochasticDepthProb">Probability of dropping the residual branch in training.</param>
    /// <param name="bnEps">BatchNorm epsilon.</param>
    /// <param name="bnMomentum">BatchNorm momentum.</param>
    public MBConv(double expandRatio, long kernelSize, long stride, long inChannels, long outChannels,
        double stochasticDepthProb, double bnEps, double bnMomentum)
        : base(nameof(MBConv))
    {
        useResidual = stride == 1 && inChannels == outChannels;
        var expanded = EfficientNetEncoder.MakeDivisible(inChannels * expandRatio);
        var layers = new List<Module<Tensor, Tensor>>();
        if (expanded != inChannels)
        {
            layers.Add(ConvNormActivation.Create(inChannels, expanded, 1, activation: SiLU(), bnEps: bnEps, bnMomentum: bnMomentum));
        }
        layers.Add(ConvNormActivation.Create(expanded, expanded, kernelSize, stride, groups: expanded, activation: SiLU(),
            bnEps: bnEps, bnMomentum: bnMomentum));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4), SiLU(inplace: true)));
        layers.Add(ConvNormActivation.Create(expanded, outChannels, 1, bnEps: bnEps, bnMomentum: bnMomentum));
        block = Sequential(layers);
        stochastic_depth = new StochasticDepth(stochasticDepthProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!useResidual)
        {
            return block.call(x);
        }
        using var scope = NewDisposeScope();
        return stochastic_depth.call(block.call(x)).add(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var y = graph.Apply(block, input);
        return useResidual ? graph.Add(graph.Apply(stochastic_depth, y), input) : y;
    }
}
