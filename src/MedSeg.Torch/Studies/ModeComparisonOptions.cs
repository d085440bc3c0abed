using MedSeg.Core;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// What <c>medseg compare</c> trains: one run per mode in <see cref="Modes"/>, all from <see cref="Config"/> (so the
/// same seed, folds, fold, epochs, loss and schedule). Its <c>arch</c> and <c>encoder</c> build the 2D and 2.5D
/// networks; the 3D mode trains <see cref="Arch3D"/> without encoder on <c>patch</c>-sized patches, with
/// <see cref="BatchSize3D"/> patches per step (null = the config's batch size); the config's <c>features</c> and
/// <c>levels</c> size that 3D network only. The config's <c>mode</c> is ignored. With <see cref="Architectures"/>,
/// every mode is trained once per architecture instead (the networks they name replace <c>arch</c> and
/// <see cref="Arch3D"/>); with <see cref="TrainSizes"/>, that grid once per training-set size.
/// </summary>
public sealed record ModeComparisonOptions
{
    /// <summary>Every mode, in the order the study runs them.</summary>
    public static readonly IReadOnlyList<string> AllModes = ["2d", "2.5d", "3d"];

    public IReadOnlyList<string> Modes { get; init; } = AllModes;
    public TrainConfig Config { get; init; } = new();
    public string Arch3D { get; init; } = "unet3d";
    public int? BatchSize3D { get; init; }

    /// <summary>The architectures of <c>--archs</c> (null = the one of <c>arch</c> and <see cref="Arch3D"/>).</summary>
    public IReadOnlyList<StudyArchitecture>? Architectures { get; init; }

    /// <summary>The training-set sizes of <c>--train-sizes</c> (null = every training case of the fold).</summary>
    public IReadOnlyList<TrainingSize>? TrainSizes { get; init; }

    /// <summary>Modes from <c>--modes</c> text such as <c>2d,2.5d,3d</c> (case-insensitive, in the order given).</summary>
    /// <exception cref="MedSegException">A mode is unknown or repeated, or none is given.</exception>
    public static IReadOnlyList<string> ParseModes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var modes = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToLowerInvariant()).ToArray();
        var valid = $"valid: {string.Join(", ", AllModes)}, comma-separated (e.g. --modes 2d,2.5d,3d)";
        if (modes.Length == 0)
        {
            throw new MedSegException($"--modes '{text}' names no mode; {valid}.");
        }
        if (modes.FirstOrDefault(m => !AllModes.Contains(m)) is { } unknown)
        {
            throw new MedSegException($"--modes {text}: mode '{unknown}' is unknown; {valid}.");
        }
        if (modes.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new MedSegException($"--modes {text} names {repeated.Key} twice; give each mode once.");
        }
        return modes;
    }

    /// <summary>The training config of <paramref name="mode"/>.</summary>
    public TrainConfig ConfigFor(string mode) => mode == "3d"
        ? Config with { Mode = mode, Arch = Arch3D, Encoder = ModelFactory.NoEncoder, BatchSize = BatchSize3D ?? Config.BatchSize }
        : Config with { Mode = mode, Features = null, Levels = null };

    /// <summary>
    /// The training config of <paramref name="mode"/> with <paramref name="architecture"/>'s network for it; the capsule
    /// networks keep their papers' levels, so <c>--levels</c> (which sizes the 3D U-Nets) is left out for them.
    /// </summary>
    public TrainConfig ConfigFor(string mode, StudyArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var network = architecture.NetworkFor(mode) ?? throw new MedSegException($"--archs {architecture.Name} has no network for mode {mode}.");
        var config = ConfigFor(mode);
        return config with
        {
            Arch = network,
            Encoder = StudyArchitecture.EncoderFor(network, Config.Encoder),
            Levels = ModelFactory.IsCapsuleNetwork(network) ? null : config.Levels,
        };
    }

    /// <summary>Checks what is specific to a comparison; each mode's config is checked by <see cref="Trainer.Check"/>.</summary>
    /// <exception cref="MedSegException">The message names the option at fault and the fix.</exception>
    public void Validate()
    {
        _ = ParseModes(string.Join(",", Modes));
        if (Config.Fold == "all")
        {
            throw new MedSegException($"--fold all: compare validates every mode on the same single fold; give --fold K with K from 0 to {Config.Folds - 1}.");
        }
        if (!ModelFactory.IsVolumetric(Arch3D))
        {
            throw new MedSegException($"--arch-3d {Arch3D} is not a 3D network; valid: {string.Join(", ", ModelFactory.ThreeDimensional)}.");
        }
        if (Architectures is null && Modes.Any(m => m != "3d") && (ModelFactory.IsVolumetric(Config.Arch) || TrainingNetworks.IsClassifier(Config)))
        {
            throw new MedSegException(
                $"--arch {Config.Arch} cannot segment slices; compare takes a 2D segmentation network for 2d and 2.5d as --arch (e.g. unet) and the 3D one as --arch-3d.");
        }
        foreach (var architecture in Architectures ?? [])
        {
            architecture.Require(Modes);
        }
        if (TrainSizes is { Count: > 0 } && Config.Folds == 1)
        {
            throw new MedSegException("--train-sizes needs a held-out fold to validate every size on; with --folds 1 the validation would be the training data. Use --folds 2 or more.");
        }
        if (BatchSize3D is < 1)
        {
            throw new MedSegException($"--batch-size-3d {BatchSize3D} must be at least 1.");
        }
    }
}
