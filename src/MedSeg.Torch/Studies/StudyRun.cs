using MedSeg.Core;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// One training run of a comparison: a mode, with an <c>--archs</c> architecture and a <c>--train-sizes</c> size where
/// those are given, its resolved <see cref="Config"/> (<c>train_cases</c> set for a size), its folder relative to the
/// study's output (<c>MODE</c>, <c>MODE-ARCH</c>, under <c>cases-N/</c> for a size) and its network's parameter count.
/// </summary>
public sealed record StudyRun(string Mode, StudyArchitecture? Architecture, int? TrainCases, TrainConfig Config, string Folder, long Parameters)
{
    /// <summary>How progress lines and errors name it, e.g. <c>mode 2d</c> or <c>mode 3d, arch capsnet, 4 cases</c>.</summary>
    public string Label => $"mode {Mode}" + (Architecture is null ? "" : $", arch {Architecture.Name}") + (TrainCases is { } n ? $", {Plural.Of(n, "training case")}" : "");

    /// <summary>The folder of a run: <c>MODE</c>, <c>MODE-ARCH</c> (a pair's <c>/</c> written as <c>+</c>), under <c>cases-N</c> for a size.</summary>
    public static string FolderOf(string mode, StudyArchitecture? architecture, int? trainCases)
    {
        var name = architecture is null ? mode : $"{mode}-{architecture.Name.Replace('/', '+')}";
        return trainCases is { } n ? Path.Combine($"cases-{n}", name) : name;
    }
}
