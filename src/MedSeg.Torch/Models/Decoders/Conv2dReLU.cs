using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's <c>Conv2dReLU</c> with batch normalisation: a bias-free convolution ("same" padding), BatchNorm and ReLU in a
/// Sequential, so its keys are <c>0.weight</c>, <c>1.weight</c>, <c>1.running_mean</c>, ...
/// </summary>
public static class Conv2dReLU
{
    public static Sequential Create(long inChannels, long outChannels, long kernelSize) =>
        Sequential(
            new Conv(inChannels, outChannels, kernelSize, padding: kernelSize / 2, bias: false),
            new BatchNormalization(outChannels),
            ReLU(inplace: true));
}
