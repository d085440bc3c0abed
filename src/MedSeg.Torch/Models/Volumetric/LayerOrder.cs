using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>SingleConv</c> / <c>DoubleConv</c>, built from a layer-order string: <c>c</c> convolution,
/// <c>g</c> GroupNorm, <c>b</c> BatchNorm, <c>i</c> InstanceNorm, <c>r</c> ReLU, <c>l</c> LeakyReLU, <c>e</c> ELU, in the
/// order given (default <c>gcr</c>: GroupNorm → conv → ReLU; <see cref="NnUNet"/> <c>cil</c>: conv → InstanceNorm →
/// LeakyReLU(0.01), nnU-Net's <c>PlainConvUNet</c> block). Children are named as pytorch-3dunet names them (<c>groupnorm</c>,
/// <c>batchnorm</c>, <c>instancenorm</c>, <c>conv</c>, ...), so keys read <c>SingleConv1.groupnorm.weight</c>, <c>SingleConv1.conv.weight</c>.
/// </summary>
public static class LayerOrder
{
    /// <summary>pytorch-3dunet's default, and what a run without a recorded <c>layer_order</c> was trained with.</summary>
    public const string Default = "gcr";

    /// <summary>
    /// nnU-Net's block (<c>ConvDropoutNormReLU</c> of its default <c>PlainConvUNet</c>): conv → InstanceNorm (affine,
    /// eps 1e-5) → LeakyReLU (slope 0.01); the 3D default of new MedSeg runs (<see cref="Training.TrainingDefaults"/>).
    /// </summary>
    public const string NnUNet = "cil";

    /// <summary>The valid letters, for error messages and option help.</summary>
    public const string Letters = "c (conv), g/b/i (GroupNorm/BatchNorm/InstanceNorm), r/l/e (ReLU/LeakyReLU/ELU)";

    /// <summary>Throws a <see cref="MedSegException"/> unless <paramref name="order"/> is a valid layer order.</summary>
    public static void Check(string order)
    {
        if (order.Count(c => c == 'c') != 1 || order.Any(c => !"cgbirle".Contains(c)) || "rle".Contains(order[0]))
        {
            throw new MedSegException(
                $"layer order '{order}' is invalid: use one 'c' (conv) with optional 'g'/'b'/'i' (GroupNorm/BatchNorm/InstanceNorm) and 'r'/'l'/'e' (ReLU/LeakyReLU/ELU), not starting with an activation, e.g. gcr, cbr or cil.");
        }
    }

    /// <summary>pytorch-3dunet's <c>SingleConv</c>: one convolution ("same" padding, bias only without a norm) with its norm and activation.</summary>
    public static Sequential SingleConv(long inChannels, long outChannels, string order, int numGroups, int spatialDims, long kernelSize = 3)
    {
        Check(order);
        var convIndex = order.IndexOf('c');
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i < order.Length; i++)
        {
            var channels = i < convIndex ? inChannels : outChannels;
            layers.Add(order[i] switch
            {
                'c' => ("conv", new Conv(inChannels, outChannels, kernelSize, padding: kernelSize / 2,
                    bias: !order.Any("gbi".Contains), spatialDims: spatialDims)),
                'g' => ("groupnorm", new GroupNormalization(Groups(channels, numGroups), channels)),
                'b' => ("batchnorm", new BatchNormalization(channels, spatialDims)),
                'i' => ("instancenorm", new InstanceNormalization(channels)),
                'r' => ("ReLU", ReLU(inplace: true)),
                'l' => ("LeakyReLU", LeakyReLU(inplace: true)),
                _ => ("ELU", ELU(inplace: true)),
            });
        }
        return Sequential(layers);
    }

    /// <summary>
    /// pytorch-3dunet's <c>DoubleConv</c> (children <c>SingleConv1</c>, <c>SingleConv2</c>). On the encoder path the first
    /// convolution goes to half the output width (at least the input width), on the decoder path straight to it.
    /// </summary>
    public static Sequential DoubleConv(long inChannels, long outChannels, bool encoder, string order, int numGroups, int spatialDims)
    {
        var middle = encoder ? Math.Max(outChannels / 2, inChannels) : outChannels;
        return Sequential(
            ("SingleConv1", SingleConv(inChannels, middle, order, numGroups, spatialDims)),
            ("SingleConv2", SingleConv(middle, outChannels, order, numGroups, spatialDims)));
    }

    /// <summary>The activation the order names, for a block that applies it after its residual sum.</summary>
    public static Module<Tensor, Tensor> Activation(string order) =>
        order.Contains('l') ? LeakyReLU(0.1, inplace: true)
        : order.Contains('e') ? ELU(inplace: true)
        : ReLU(inplace: true);

    /// <summary>pytorch-3dunet's rule: one group when there are fewer channels than groups; otherwise they must divide.</summary>
    private static long Groups(long channels, int numGroups)
    {
        if (channels < numGroups)
        {
            return 1;
        }
        if (channels % numGroups != 0)
        {
            throw new MedSegException($"GroupNorm with {numGroups} groups needs channel counts divisible by {numGroups}; a layer has {channels}.");
        }
        return numGroups;
    }
}
