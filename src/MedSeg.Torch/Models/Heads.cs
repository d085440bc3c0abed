using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models;

/// <summary>smp's heads, as Sequentials so their state-dict keys match smp's (<c>0.weight</c>, <c>3.weight</c>).</summary>
public static class Heads
{
    /// <summary>
    /// smp's <c>SegmentationHead</c>: a convolution to one logit map per class, then bilinear upsampling (corners
    /// aligned, as <c>nn.UpsamplingBilinear2d</c>) by <paramref name="upsampling"/> when the decoder works below input size.
    /// </summary>
    public static Sequential Segmentation(long inChannels, long classes, long kernelSize, int upsampling)
    {
        var layers = new List<Module<Tensor, Tensor>> { new Conv(inChannels, classes, kernelSize, padding: kernelSize / 2) };
        if (upsampling > 1)
        {
            layers.Add(Upsample(scale_factor: [upsampling, upsampling], mode: UpsampleMode.Bilinear, align_corners: true));
        }
        return Sequential(layers);
    }

    /// <summary>
    /// smp's <c>ClassificationHead</c> (for <paramref name="spatialDims"/> 2 or 3): global average pooling, flatten,
    /// dropout, linear to one logit per class; keys <c>3.weight</c>, <c>3.bias</c>.
    /// </summary>
    public static Sequential Classification(long inChannels, long classes, double dropout, int spatialDims) =>
        Sequential(
            spatialDims == 2 ? AdaptiveAvgPool2d(1) : AdaptiveAvgPool3d(1),
            Flatten(),
            dropout > 0 ? Dropout(dropout) : Identity(),
            Linear(inChannels, classes));
}
