namespace MedSeg.Torch.Models;

/// <summary>
/// Settings beyond (arch, encoder, in_channels, classes) for <see cref="ModelFactory.Create(string, string, int, int, ModelOptions)"/>.
/// Null widths mean the reference implementation's defaults.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>The defaults: no classification head, reference widths.</summary>
    public static readonly ModelOptions Default = new();

    /// <summary>Adds smp's classification head on the deepest feature (per-class "present" logits).</summary>
    public bool Classification { get; init; }

    /// <summary>Dropout before the classification head's linear layer (smp's default 0.2; 0 for none).</summary>
    public double ClassificationDropout { get; init; } = 0.2;

    /// <summary>
    /// Decoder widths of the 2D architectures: <c>unet</c>/<c>unetplusplus</c>: channels of each decoder block,
    /// deepest first (default 256, 128, 64, 32, 16); <c>fpn</c>: pyramid and segmentation channels (256, 128);
    /// <c>deeplabv3plus</c>: ASPP channels (256); <c>upernet</c>: decoder channels (256).
    /// </summary>
    public IReadOnlyList<int>? DecoderChannels { get; init; }

    /// <summary>
    /// Output stride of the encoder (input size ÷ deepest feature size); null means the architecture's default:
    /// <c>deeplabv3plus</c> 16, as smp's <c>encoder_output_stride</c> (8 and 32 also available; 32 for encoders that
    /// cannot be dilated, see <see cref="EncoderRegistry.Dilatable"/>), every other architecture 32 (the only value it takes).
    /// </summary>
    public int? OutputStride { get; init; }

    /// <summary>
    /// Width of the first level of the 3D networks: pytorch-3dunet's <c>f_maps</c> (default 64, doubled per level)
    /// or MONAI SegResNet's <c>init_filters</c> (default 8); for the capsule networks (<c>segcaps</c>, <c>capsnet3d</c>)
    /// the atoms of the first level's capsules (default 16, as both papers).
    /// </summary>
    public int? Features { get; init; }

    /// <summary>
    /// Levels of the 3D networks: pytorch-3dunet's <c>num_levels</c> (unet3d 4, residualunet3d 5) or the number of
    /// SegResNet resolution levels (4: <c>blocks_down</c> 1, 2, 2, 4 and <c>blocks_up</c> 1, 1, 1).
    /// </summary>
    public int? Levels { get; init; }

    /// <summary>
    /// Block order of the 3D U-Nets (<c>unet3d</c>, <c>residualunet3d</c>): pytorch-3dunet's <c>layer_order</c>
    /// (see <see cref="Volumetric.LayerOrder"/>); null means pytorch-3dunet's <c>gcr</c>.
    /// </summary>
    public string? LayerOrder { get; init; }

    /// <summary>
    /// Adds nnU-Net's deep-supervision heads to the 3D U-Nets (<c>unet3d</c>, <c>residualunet3d</c>): a 1×1 convolution
    /// on each decoder stage but the coarsest, whose logits <see cref="IDeepSupervisedModel.ForwardDeepSupervision"/>
    /// returns beside the full-resolution ones for the training loss; <c>forward</c> and ONNX export stay the main head alone.
    /// </summary>
    public bool DeepSupervision { get; init; }

    /// <summary>Dynamic-routing iterations of the capsule networks (<c>segcaps</c>, <c>capsnet3d</c>); null means both papers' 3.</summary>
    public int? Routings { get; init; }

    /// <summary>
    /// Adds the capsule networks' masked reconstruction decoder (SegCaps' regulariser; see
    /// <see cref="Capsules.CapsuleSegmentationNetwork.ForwardWithReconstruction"/>).
    /// </summary>
    public bool Reconstruction { get; init; }
}
