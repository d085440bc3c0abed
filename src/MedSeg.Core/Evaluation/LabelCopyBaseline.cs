using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// The "copy the atlas" baseline of issue 12: label propagation without registration. The label map of an nnU-Net
/// dataset's first training case is written unchanged as the prediction of every held-out case (<c>imagesTs</c>),
/// on that case's grid, so that <c>medseg evaluate</c> scores it like any prediction. A model that does not beat it
/// has learnt nothing the position of the structures alone does not give.
/// </summary>
public static class LabelCopyBaseline
{
    /// <summary>Writes <c>CASE.nii.gz</c> for every case of <c>imagesTs</c> into the new folder <paramref name="outFolder"/>; returns how many.</summary>
    /// <exception cref="MedSegException">The data is not an nnU-Net dataset with a training case and held-out images, a held-out image has another shape, or the output folder is not empty.</exception>
    public static int Write(string dataPath, string outFolder)
    {
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(outFolder);
        if (!NnUnetDataset.IsDatasetFolder(dataPath))
        {
            throw new MedSegException($"--data {dataPath} is not an nnU-Net dataset (no dataset.json); the label-copy baseline copies labelsTr onto imagesTs.");
        }
        var dataset = NnUnetDataset.Load(dataPath);
        if (dataset.TrainingCases.Count == 0 || dataset.TestCases.Count == 0)
        {
            throw new MedSegException(
                $"--data {dataPath} has {dataset.TrainingCases.Count} training and {dataset.TestCases.Count} held-out case(s); the label-copy baseline needs a labelled case in imagesTr and images to segment in imagesTs.");
        }
        var source = dataset.TrainingCases[0];
        var labels = source.ReadLabels();
        using var folder = new AtomicFolder(outFolder);
        foreach (var target in dataset.TestCases)
        {
            var geometry = ImageFiles.ReadGeometry(target.ImagePaths[0]);
            if (geometry.Shape != labels.Shape)
            {
                throw new MedSegException(
                    $"held-out case {target.Id} is {geometry.Shape} voxels but training case {source.Id} is {labels.Shape}; copying labels without registration needs one grid: resample the images to one shape.");
            }
            Nifti.WriteLabels(Path.Combine(folder.TempPath, target.Id + ".nii.gz"), new Volume<ushort>(geometry, labels.Voxels));
        }
        folder.Commit();
        return dataset.TestCases.Count;
    }
}
