using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;

namespace MedSeg.Torch.Training;

/// <summary>
/// Fills the defaults of a <see cref="TrainConfig"/> that depend on the data, so that no option the program can infer
/// stops a run (nnU-Net's plans do the same): <c>--folds</c> becomes the number of cases when there are fewer than
/// <see cref="TrainConfig.DefaultFolds"/> (one case trains on everything, <c>--folds 1</c>), and the 3D patch shrinks
/// to the smallest volume, a multiple of the network's size step. Values the user gave are kept, so a contradiction
/// they wrote stays an error.
/// </summary>
public static class TrainingDefaults
{
    /// <summary><paramref name="config"/> with its data-dependent defaults resolved for <paramref name="data"/>; <paramref name="message"/> hears each choice.</summary>
    public static TrainConfig FitTo(TrainConfig config, UwMadisonDataset data, Action<string>? message = null)
    {
        var fitted = FitFolds(config, data.CaseDays.Select(c => c.Case).Distinct().Count(), "case", message);
        if (config.Mode == "3d" && !config.PatchGiven && data.CaseDays.Count > 0)
        {
            var patch = FittedPatch(fitted, data);
            if (patch.ToString() != config.Patch)
            {
                message?.Invoke($"3D patch {patch} (the default {config.Patch}, shrunk to the smallest volume and a multiple of the network's size step)");
            }
            fitted = fitted with { Patch = patch.ToString() };
        }
        return fitted;
    }

    /// <summary>
    /// <paramref name="config"/> with the default <c>--folds</c> lowered to <paramref name="groups"/> when there are fewer
    /// (one <paramref name="unit"/>, e.g. case or image, per fold; a single one trains with <c>--folds 1</c>).
    /// </summary>
    public static TrainConfig FitFolds(TrainConfig config, int groups, string unit, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.FoldsGiven || groups >= config.Folds || groups <= 0)
        {
            return config;
        }
        message?.Invoke(groups == 1
            ? $"1 labelled {unit}: training on all of it with no held-out fold (--folds 1, nnU-Net's 'all'); the last epoch's weights are the model"
            : $"{groups} labelled {unit}s: --folds {groups} (one {unit} per fold) instead of {config.Folds}");
        return config with { Folds = groups };
    }

    private static PatchSize FittedPatch(TrainConfig config, UwMadisonDataset data)
    {
        var step = SizeStep(config, data.Classes.Count);
        var shapes = data.CaseDays.Select(CaseDayVolume.Shape).ToArray();
        var smallest = new[] { shapes.Min(s => s.Depth), shapes.Min(s => s.Height), shapes.Min(s => s.Width) };
        var sizes = config.ParsedPatch.Sizes.Select((size, axis) => Math.Max(step, Math.Min(size, smallest[axis]) / step * step)).ToArray();
        return new PatchSize(sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>What every spatial size of the config's network must be a multiple of (1 when it takes any size).</summary>
    private static int SizeStep(TrainConfig config, int classes)
    {
        using var model = TrainingNetworks.Create(config, Math.Max(1, classes));
        return model is SegmentationModel network ? network.SizeMultiple : 1;
    }
}
