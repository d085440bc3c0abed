using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// Ensemble members that see a NIfTI image on one slice-stack spacing (null: the image's own grid), their share of
/// the ensemble weight, and what computes their weighted per-class probabilities of a case-day (each D×H×W).
/// </summary>
public sealed record SpacingGroup(StackSpacing? Spacing, float Share, Func<UwCaseDay, float[][]> Probabilities);

/// <summary>
/// The per-case steps of predicting a NIfTI image that do not depend on what computes the networks, shared by the
/// TorchSharp and the libtorch-free predictor: the image reordered to the networks' slice stack
/// (<see cref="SliceStackOrientation"/>), resampled per <see cref="SpacingGroup"/> and presented as a case-day
/// (<see cref="NiftiCaseDay"/>), each group's probabilities resampled back (trilinear) and summed by share; and the
/// label map of the thresholded masks.
/// </summary>
public static class NiftiCasePrediction
{
    /// <summary>
    /// The image's slice-stack orientation and per-class probabilities on its own stack grid (each D×H×W), the case-days
    /// written under <paramref name="scratch"/>-G (deleted again).
    /// </summary>
    /// <param name="perVolumeIntensity">Store channels through their per-volume intensity mapping (runs trained on NIfTI data).</param>
    public static (SliceStackOrientation Orientation, float[][] Probabilities) Probabilities(Volume<float> image, int classes,
        IReadOnlyList<SpacingGroup> groups, string scratch, bool perVolumeIntensity)
    {
        var orientation = new SliceStackOrientation(image.Geometry);
        var stacks = orientation.ToStacks(image);
        var grid = orientation.Grid;
        var probabilities = Enumerable.Range(0, classes).Select(_ => new float[grid.Voxels]).ToArray();
        for (var g = 0; g < groups.Count; g++)
        {
            var target = groups[g].Spacing is { } s ? grid.AtSpacing(s) : grid;
            var folder = $"{scratch}-{g}";
            var caseDay = NiftiCaseDay.Write(stacks.Select(stack => grid.Resample(stack, target)).ToArray(), target, folder, perVolumeIntensity);
            var groupProbabilities = groups[g].Probabilities(caseDay);
            Directory.Delete(folder, recursive: true);
            for (var c = 0; c < classes; c++)
            {
                var back = target.Resample(groupProbabilities[c], grid);
                for (var v = 0; v < back.Length; v++)
                {
                    probabilities[c][v] += groups[g].Share * back[v];
                }
            }
        }
        return (orientation, probabilities);
    }

    /// <summary>One label per voxel from per-class 0/1 masks: k + 1 for class k, the lowest class where masks overlap.</summary>
    public static byte[] LabelMap(byte[][] masks)
    {
        var labels = new byte[masks[0].Length];
        for (var c = masks.Length - 1; c >= 0; c--)
        {
            var mask = masks[c];
            for (var v = 0; v < labels.Length; v++)
            {
                if (mask[v] != 0)
                {
                    labels[v] = (byte)(c + 1);
                }
            }
        }
        return labels;
    }
}
