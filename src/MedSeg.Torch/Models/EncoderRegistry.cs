using MedSeg.Core;

namespace MedSeg.Torch.Models;

/// <summary>Encoders by name (smp / timm / torchvision names), as data: a name maps to a constructor.</summary>
public static class EncoderRegistry
{
    private static readonly Dictionary<string, Func<int, Encoder>> Constructors = new()
    {
        ["resnet18"] = inChannels => new ResNetEncoder("resnet18", inChannels),
        ["resnet34"] = inChannels => new ResNetEncoder("resnet34", inChannels),
    };

    /// <summary>Every encoder name, in registration order.</summary>
    public static IReadOnlyList<string> Names => [.. Constructors.Keys];

    /// <summary>A new encoder taking <paramref name="inChannels"/> input channels.</summary>
    public static Encoder Create(string name, int inChannels) =>
        Constructors.TryGetValue(name, out var create)
            ? create(inChannels)
            : throw new MedSegException($"--encoder {name} is unknown; valid: {string.Join(", ", Constructors.Keys)}.");
}
