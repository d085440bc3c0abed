namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>UNet3D</c> (Çiçek et al. 2016): DoubleConv levels (GroupNorm → conv → ReLU by default),
/// 2× max pooling, nearest upsampling and concatenation. Defaults as pytorch-3dunet: <c>f_maps</c> 64, 4 levels,
/// 8 groups. With <c>spatialDims</c> 2 it is pytorch-3dunet's <c>UNet2D</c>.
/// </summary>
public sealed class UNet3D : AbstractUNet
{
    public const int DefaultFeatures = 64;
    public const int DefaultLevels = 4;

    public UNet3D(int inChannels, int classes, int fMaps = DefaultFeatures, int numLevels = DefaultLevels,
        string layerOrder = LayerOrder.Default, int numGroups = 8, int spatialDims = 3, ModelOptions? options = null)
        : base(nameof(UNet3D), residual: false, inChannels, classes, fMaps, numLevels, layerOrder, numGroups, spatialDims, options ?? ModelOptions.Default)
    {
    }
}
