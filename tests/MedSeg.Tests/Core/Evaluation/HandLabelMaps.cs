using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Evaluation;

/// <summary>
/// The case-days of <see cref="HandSubmission"/> as an nnU-Net dataset of two 4×4×2 cases (X×Y×Z, spacing
/// 1.5 × 1.5 × 3 mm, labels background, a = 1, b = 2, c = 3) and a folder of predicted label maps: voxel
/// (slice, row, column) there is (z, y, x) here, so every overlap and distance figure is the same.
/// </summary>
internal static class HandLabelMaps
{
    private static readonly VolumeGeometry Grid = new(new VolumeShape(4, 4, 2), Affine.Diagonal(1.5, 1.5, 3.0));

    /// <summary>Writes <paramref name="root"/>/Dataset001_Hand and the predictions <paramref name="root"/>/pred.</summary>
    public static (string Dataset, string Predictions) Write(string root)
    {
        string dataset = Path.Combine(root, "Dataset001_Hand"), predictions = Path.Combine(root, "pred");
        using (var writer = new NnUnetDatasetWriter(dataset, new NnUnetDatasetInfo(["T1"], ["background", "a", "b", "c"], 0, Name: "Hand")))
        {
            writer.AddCase("case1", Image(), Labels((1, 0, 0, 1), (1, 0, 0, 2), (1, 1, 1, 1)));
            writer.AddCase("case2", Image(), Labels((1, 0, 2, 2)));
            writer.Commit();
        }
        Directory.CreateDirectory(predictions);
        Nifti.WriteLabels(Path.Combine(predictions, "case1.nii.gz"), Labels((1, 0, 0, 0), (1, 0, 0, 1), (1, 1, 1, 1), (2, 1, 3, 3)));
        Nifti.WriteLabels(Path.Combine(predictions, "case2.nii.gz"), Labels());
        return (dataset, predictions);
    }

    /// <summary>A label map with the given (label, z, y, x) voxels set.</summary>
    public static Volume<ushort> Labels(params (ushort Label, int Z, int Y, int X)[] voxels)
    {
        var labels = new Volume<ushort>(Grid);
        foreach (var (label, z, y, x) in voxels)
        {
            labels[x, y, z] = label;
        }
        return labels;
    }

    private static Volume<float> Image() => new(Grid, Enumerable.Range(0, 32).Select(i => (float)i).ToArray());
}
