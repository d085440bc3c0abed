using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's <c>Conv2dNormActivation</c> with batch normalisation: a bias-free convolution with "same" padding,
/// BatchNorm and an optional activation, in a Sequential (keys <c>0.weight</c>, <c>1.weight</c>, <c>1.running_mean</c>…).
/// </summary>
public static class ConvNormActivation
{
    /// <param name="activation">SiLU for EfficientNet; null for a linear projection.</param>
    /// <param name="bnEps">BatchNorm epsilon (torchvision uses 1e-3 for EfficientNet-B5…B7).</param>
    /// <param name="bnMomentum">BatchNorm momentum (0.01 for EfficientNet-B5…B7).</param>
    public static Sequential Create(long inChannels, long outChannels, long kernelSize, long stride = 1, long groups = 1,
        Module<Tensor, Tensor>? activation = null, double bnEps = 1e-5, double bnMomentum = 0.1)
    {
        var layers = new List<Module<Tensor, Tensor>>
        {
            new Conv(inChannels, outChannels, kernelSize, stride, (kernelSize - 1) / 2, bias: false, groups: groups),
            new BatchNormalization(outChannels, eps: bnEps, momentum: bnMomentum),
        };
        if (activation is not null)
        {
            layers.Add(activation);
        }
        return Sequential(layers);
    }
}
