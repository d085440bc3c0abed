using MedSeg.Core;
using MedSeg.Torch.Models.Capsules;
using MedSeg.Torch.Models.Volumetric;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// Builds a segmentation network from names, as smp's <c>create_model</c> does: the 2D encoder–decoder architectures
/// take any encoder of <see cref="EncoderRegistry"/>; the encoder-free networks (the 3D ones and the 2D capsule network
/// <c>segcaps</c>) have their own encoders and take the encoder name <see cref="NoEncoder"/> (or an empty one).
/// </summary>
public static class ModelFactory
{
    /// <summary>The encoder name of the 3D networks, which bring their own.</summary>
    public const string NoEncoder = "none";

    private static readonly object MetaLock = new();

    private static readonly Dictionary<string, Func<Encoder, int, ModelOptions, SegmentationModel>> TwoD = new()
    {
        ["unet"] = (encoder, classes, options) => new Unet(encoder, classes, options),
        ["unetplusplus"] = (encoder, classes, options) => new UnetPlusPlus(encoder, classes, options),
        ["fpn"] = (encoder, classes, options) => new Fpn(encoder, classes, options),
        ["deeplabv3plus"] = (encoder, classes, options) => new DeepLabV3Plus(encoder, classes, options),
        ["upernet"] = (encoder, classes, options) => new UperNet(encoder, classes, options),
    };

    private static readonly Dictionary<string, Func<int, int, ModelOptions, SegmentationModel>> EncoderFreeTwoD = new()
    {
        ["segcaps"] = CapsuleSegmentationNetwork.SegCaps,
    };

    private static readonly Dictionary<string, Func<int, int, ModelOptions, SegmentationModel>> ThreeD = new()
    {
        ["unet3d"] = (inChannels, classes, options) => new UNet3D(inChannels, classes,
            options.Features ?? UNet3D.DefaultFeatures, options.Levels ?? UNet3D.DefaultLevels, options.LayerOrder ?? LayerOrder.Default, options: options),
        ["residualunet3d"] = (inChannels, classes, options) => new ResidualUNet3D(inChannels, classes,
            options.Features ?? ResidualUNet3D.DefaultFeatures, options.Levels ?? ResidualUNet3D.DefaultLevels, options.LayerOrder ?? LayerOrder.Default, options: options),
        ["segresnet"] = (inChannels, classes, options) =>
        {
            var (down, up) = options.Levels is { } levels ? SegResNet.Blocks(levels)
                : (SegResNet.DefaultBlocksDown.ToArray(), SegResNet.DefaultBlocksUp.ToArray());
            return new SegResNet(inChannels, classes, options.Features ?? SegResNet.DefaultInitFilters, down, up, options: options);
        },
        ["capsnet3d"] = CapsuleSegmentationNetwork.CapsNet3D,
    };

    /// <summary>The capsule networks, which take <see cref="ModelOptions.Routings"/> and <see cref="ModelOptions.Reconstruction"/>.</summary>
    private static readonly HashSet<string> Capsule = ["segcaps", "capsnet3d"];

    /// <summary>The 3D U-Nets, which take <see cref="ModelOptions.LayerOrder"/> and <see cref="ModelOptions.DeepSupervision"/>.</summary>
    private static readonly HashSet<string> DeepSupervised = ["unet3d", "residualunet3d"];

    /// <summary>True for the networks that take a layer order and deep-supervision heads (the 3D U-Nets).</summary>
    public static bool HasDeepSupervision(string arch) => DeepSupervised.Contains(arch);

    /// <summary>The 2D encoder–decoder architectures (N×C×H×W input, any registered encoder).</summary>
    public static IReadOnlyList<string> TwoDimensional => [.. TwoD.Keys];

    /// <summary>The 2D networks with their own encoder (N×C×H×W input, encoder <see cref="NoEncoder"/>): <c>segcaps</c>.</summary>
    public static IReadOnlyList<string> EncoderFreeTwoDimensional => [.. EncoderFreeTwoD.Keys];

    /// <summary>The 3D networks (N×C×D×H×W input, encoder <see cref="NoEncoder"/>).</summary>
    public static IReadOnlyList<string> ThreeDimensional => [.. ThreeD.Keys];

    /// <summary>Every architecture and the encoders it accepts (<see cref="NoEncoder"/> alone for the encoder-free networks).</summary>
    public static IReadOnlyDictionary<string, string[]> Architectures =>
        TwoD.Keys.Select(arch => (arch, Encoders: EncoderRegistry.Names.ToArray()))
            .Concat(EncoderFreeTwoD.Keys.Concat(ThreeD.Keys).Select(arch => (arch, Encoders: new[] { NoEncoder })))
            .ToDictionary(p => p.arch, p => p.Encoders);

    /// <summary>True for the 3D networks.</summary>
    public static bool IsVolumetric(string arch) => ThreeD.ContainsKey(arch);

    /// <summary>True for the networks that bring their own encoder (the 3D ones and <see cref="EncoderFreeTwoDimensional"/>): encoder <see cref="NoEncoder"/>.</summary>
    public static bool HasOwnEncoder(string arch) => ThreeD.ContainsKey(arch) || EncoderFreeTwoD.ContainsKey(arch);

    /// <summary>True for the capsule networks (<c>segcaps</c>, <c>capsnet3d</c>).</summary>
    public static bool IsCapsuleNetwork(string arch) => Capsule.Contains(arch);

    /// <summary>Throws a <see cref="MedSegException"/> listing the valid names when the pair is unknown.</summary>
    public static void Check(string arch, string encoder)
    {
        if (HasOwnEncoder(arch))
        {
            if (encoder is not ("" or NoEncoder))
            {
                throw new MedSegException($"--arch {arch} is a {(IsVolumetric(arch) ? "3D" : "2D")} network with its own encoder; pass --encoder {NoEncoder} (not {encoder}).");
            }
            return;
        }
        if (!TwoD.ContainsKey(arch))
        {
            throw new MedSegException($"--arch {arch} is unknown; valid: {string.Join(", ", Architectures.Keys)}.");
        }
        if (!EncoderRegistry.Names.Contains(encoder))
        {
            throw new MedSegException($"--encoder {encoder} is unknown for {arch}; valid: {string.Join(", ", EncoderRegistry.Names)}.");
        }
    }

    /// <summary>A new network with freshly initialised weights and default widths (seed with <c>torch.manual_seed</c> first).</summary>
    public static SegmentationModel Create(string arch, string encoder, int inChannels, int classes) =>
        Create(arch, encoder, inChannels, classes, ModelOptions.Default);

    /// <summary>A new network with freshly initialised weights (seed with <c>torch.manual_seed</c> first).</summary>
    public static SegmentationModel Create(string arch, string encoder, int inChannels, int classes, ModelOptions options)
    {
        Check(arch, encoder);
        if ((options.Routings is not null || options.Reconstruction) && !IsCapsuleNetwork(arch))
        {
            throw new MedSegException($"routings and reconstruction configure the capsule networks ({string.Join(", ", Capsule)}); {arch} has no capsules.");
        }
        if ((options.LayerOrder is not null || options.DeepSupervision) && !HasDeepSupervision(arch))
        {
            throw new MedSegException($"layer order and deep supervision configure the 3D U-Nets ({string.Join(", ", DeepSupervised)}); {arch} takes neither.");
        }
        if (EncoderFreeTwoD.TryGetValue(arch, out var encoderFree) || ThreeD.TryGetValue(arch, out encoderFree))
        {
            if (options.DecoderChannels is not null || options.OutputStride is not null)
            {
                throw new MedSegException($"{arch} has no decoder widths or output stride to set{(IsCapsuleNetwork(arch) ? "" : "; use the 3D options (features, levels)")}.");
            }
            return encoderFree(inChannels, classes, options);
        }
        if (options.Features is not null || options.Levels is not null)
        {
            throw new MedSegException($"features and levels configure the 3D networks; {arch} takes decoder widths instead.");
        }
        return TwoD[arch](EncoderRegistry.Create(encoder, inChannels), classes, options);
    }

    /// <summary>
    /// <see cref="SegmentationModel.SizeMultiple"/> of the 3D network <paramref name="arch"/> with <paramref name="options"/>,
    /// without building it: 2^(levels − 1) for the pooling-by-2 networks, the capsule stride for <c>capsnet3d</c>.
    /// </summary>
    public static int SizeMultiple(string arch, ModelOptions options)
    {
        var levels = arch switch
        {
            "unet3d" => options.Levels ?? UNet3D.DefaultLevels,
            "residualunet3d" => options.Levels ?? ResidualUNet3D.DefaultLevels,
            "segresnet" => options.Levels ?? SegResNet.DefaultBlocksDown.Count,
            "capsnet3d" => 0,
            _ => throw new ArgumentException($"{arch} is not a 3D network; build it to read its size multiple.", nameof(arch)),
        };
        return levels == 0 ? CapsuleSegmentationNetwork.Stride : 1 << Math.Clamp(levels - 1, 0, 30);
    }

    /// <summary>
    /// The number of parameters of <see cref="Create(string, string, int, int, ModelOptions)"/>'s network, counted from
    /// shapes: the network is built on libtorch's meta device (no memory, no random initialisation). TorchSharp's
    /// default device is process-wide, so nothing else may create tensors meanwhile (the CLI's <c>models</c> command
    /// runs alone); a network that cannot be built on the meta device is built on the CPU instead.
    /// </summary>
    public static long CountParameters(string arch, string encoder, int inChannels, int classes, ModelOptions? options = null)
    {
        Check(arch, encoder);
        return CountParameters(() => Create(arch, encoder, inChannels, classes, options ?? ModelOptions.Default));
    }

    /// <summary>The number of parameters of the network <paramref name="build"/> makes, built on the meta device where it can be.</summary>
    public static long CountParameters(Func<nn.Module> build)
    {
        lock (MetaLock)
        {
            var previous = get_default_device();
            try
            {
                set_default_device(META);
                using var model = build();
                return model.parameters().Sum(p => p.numel());
            }
            catch (Exception e) when (e is not MedSegException)
            {
                set_default_device(previous);
                using var model = build();
                return model.parameters().Sum(p => p.numel());
            }
            finally
            {
                set_default_device(previous);
            }
        }
    }

    /// <summary>Every architecture × encoder pair with default widths and its parameter count (see <c>CountParameters</c>).</summary>
    public static IReadOnlyList<ModelSummary> Summaries(int inChannels = 3, int classes = 1)
    {
        ModelSummary.Check(inChannels, classes);
        return [.. Architectures.SelectMany(a => a.Value.Select(encoder =>
            new ModelSummary(a.Key, encoder, inChannels, classes, CountParameters(a.Key, encoder, inChannels, classes))))];
    }
}
