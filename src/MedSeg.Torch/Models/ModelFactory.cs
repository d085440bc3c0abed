using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>Builds a segmentation network from names, as smp's <c>create_model</c> does.</summary>
public static class ModelFactory
{
    /// <summary>Architectures and the encoders each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Architectures = new Dictionary<string, string[]>
    {
        ["unet"] = EncoderRegistry.Names.ToArray(),
    };

    /// <summary>Throws a <see cref="MedSegException"/> listing the valid names when the pair is unknown.</summary>
    public static void Check(string arch, string encoder)
    {
        if (!Architectures.TryGetValue(arch, out var encoders))
        {
            throw new MedSegException($"--arch {arch} is unknown; valid: {string.Join(", ", Architectures.Keys)}.");
        }
        if (!encoders.Contains(encoder))
        {
            throw new MedSegException($"--encoder {encoder} is unknown for {arch}; valid: {string.Join(", ", encoders)}.");
        }
    }

    /// <summary>A new network with freshly initialised weights (seed them with <c>torch.manual_seed</c> first).</summary>
    public static nn.Module<Tensor, Tensor> Create(string arch, string encoder, int inChannels, int classes)
    {
        Check(arch, encoder);
        return new Unet(encoder, inChannels, classes);
    }
}
