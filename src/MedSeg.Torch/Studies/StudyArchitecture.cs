using MedSeg.Core;
using MedSeg.Torch.Models;

namespace MedSeg.Torch.Studies;

/// <summary>
/// One architecture of <c>medseg compare --archs</c>: the network it trains in the slice modes (<see cref="Slices"/>,
/// 2d and 2.5d) and in the 3d mode (<see cref="Volume"/>); null where it has none. <see cref="Name"/> is how the study
/// names it (the <c>--archs</c> item).
/// </summary>
public sealed record StudyArchitecture(string Name, string? Slices, string? Volume)
{
    /// <summary>
    /// The families of Avesta et al.'s study, each a network per kind of mode. <c>unet</c>'s 3D side is
    /// <c>--arch-3d</c>'s network, so it is filled in by <see cref="Parse"/>.
    /// </summary>
    private static readonly Dictionary<string, (string Slices, string? Volume)> Families = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unet"] = ("unet", null),
        ["capsnet"] = ("segcaps", "capsnet3d"),
    };

    private const string Syntax =
        "comma-separated families (unet, capsnet), networks of medseg models (e.g. fpn: 2d and 2.5d only; segresnet: 3d only) or pairs SLICE/VOLUME (e.g. fpn/unet3d)";

    /// <summary>
    /// Architectures from <c>--archs</c> text such as <c>unet,capsnet</c>, <c>fpn</c> or <c>fpn/unet3d</c>: a family
    /// (<c>unet</c>: <c>unet</c> and <paramref name="arch3D"/>; <c>capsnet</c>: <c>segcaps</c> and <c>capsnet3d</c>), a
    /// network of the zoo for the modes of its kind, or a pair <c>SLICE/VOLUME</c> of a 2D and a 3D network. Whether the
    /// networks exist is checked by <see cref="Require"/>, against the modes asked for.
    /// </summary>
    /// <exception cref="MedSegException">The text names nothing, repeats a name, or a pair is malformed.</exception>
    public static IReadOnlyList<StudyArchitecture> Parse(string text, string arch3D)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new MedSegException($"--archs '{text}' names no architecture; give {Syntax}.");
        }
        if (items.GroupBy(i => i, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new MedSegException($"--archs {text} names {repeated.Key} twice; give each architecture once.");
        }
        return [.. items.Select(item => ParseOne(text, item, arch3D))];
    }

    private static StudyArchitecture ParseOne(string text, string item, string arch3D)
    {
        var pair = item.Split('/');
        if (pair.Length == 2 && pair.All(p => p.Trim().Length > 0))
        {
            return new StudyArchitecture(item, pair[0].Trim(), pair[1].Trim());
        }
        if (pair.Length != 1)
        {
            throw new MedSegException($"--archs {text}: '{item}' is not a pair SLICE/VOLUME; give {Syntax}.");
        }
        if (Families.TryGetValue(item, out var family))
        {
            return new StudyArchitecture(item.ToLowerInvariant(), family.Slices, family.Volume ?? arch3D);
        }
        return ModelFactory.IsVolumetric(item) ? new StudyArchitecture(item, null, item) : new StudyArchitecture(item, item, null);
    }

    /// <summary>The network of this architecture for <paramref name="mode"/> (2d, 2.5d or 3d), or null where it has none.</summary>
    public string? NetworkFor(string mode) => mode == "3d" ? Volume : Slices;

    /// <summary>
    /// Checks that this architecture has a network of the zoo for every mode in <paramref name="modes"/>, of the right
    /// kind (2D for 2d and 2.5d, 3D for 3d).
    /// </summary>
    /// <exception cref="MedSegException">The message names <c>--archs</c>, the mode and the fix.</exception>
    public void Require(IEnumerable<string> modes)
    {
        ArgumentNullException.ThrowIfNull(modes);
        foreach (var mode in modes)
        {
            var volumetric = mode == "3d";
            var kind = volumetric ? "3D" : "2D";
            var network = NetworkFor(mode) ?? throw new MedSegException(
                $"--archs {Name} has no {kind} network for mode {mode}; leave {mode} out of --modes, or pair it with one as {(volumetric ? $"{Name}/unet3d" : $"unet/{Name}")}.");
            if (!ModelFactory.Architectures.ContainsKey(network))
            {
                throw new MedSegException(
                    $"--archs {Name}: {network} (its {kind} network for mode {mode}) is not in this build's model zoo; valid {kind} networks: "
                    + $"{string.Join(", ", volumetric ? ModelFactory.ThreeDimensional : ModelFactory.TwoDimensional)}.");
            }
            if (ModelFactory.IsVolumetric(network) != volumetric)
            {
                throw new MedSegException(
                    $"--archs {Name}: {network} is a {(volumetric ? "2D" : "3D")} network and cannot train mode {mode}; give a {kind} one there (e.g. {(volumetric ? "fpn/unet3d" : "unet/segresnet")}).");
            }
        }
    }

    /// <summary>
    /// The encoder <paramref name="network"/> trains with: <paramref name="encoder"/> where the network accepts it,
    /// else <see cref="ModelFactory.NoEncoder"/> (3D networks, and 2D ones without an encoder such as <c>segcaps</c>).
    /// </summary>
    public static string EncoderFor(string network, string encoder) =>
        ModelFactory.Architectures.TryGetValue(network, out var encoders) && encoders.Contains(encoder) ? encoder : ModelFactory.NoEncoder;
}
