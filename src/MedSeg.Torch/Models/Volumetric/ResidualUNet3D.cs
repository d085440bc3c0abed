namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>ResidualUNet3D</c> (after Lee et al. 2017): ResNetBlock levels, transposed-convolution
/// upsampling and summation joining. Defaults as pytorch-3dunet: <c>f_maps</c> 64, 5 levels, GroupNorm(8) → conv → ReLU.
/// </summary>
public sealed class ResidualUNet3D : AbstractUNet
{
    public const int DefaultFeatures = 64;
    public const int DefaultLevels = 5;

    public ResidualUNet3D(int inChannels, int classes, int fMaps = DefaultFeatures, int numLevels = DefaultLevels,
        string layerOrder = LayerOrder.Default, int numGroups = 8, int spatialDims = 3, ModelOptions? options = null)
        : base(nameof(ResidualUNet3D), residual: true, inChannels, classes, fMaps, numLevels, layerOrder, numGroups, spatialDims, options ?? ModelOptions.Default)
    {
    }
}
