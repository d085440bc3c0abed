using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg predict</c> for nnU-Net-layout data: segments every image of <c>imagesTs</c> (or of <c>imagesTr</c> when
/// there is no imagesTs) with runs whose classes are dataset.json's labels (trained on UW-Madison-layout data, or on an
/// nnU-Net dataset, whose per-volume intensity mapping is applied to the input as in training), and
/// writes <c>OUT/CASE.nii.gz</c> label maps (uint8: 0 = background, k = k-th class; where classes overlap the lower
/// k wins, as in nnU-Net's label convention for the synthetic data) on the input's grid and affine. Each image is
/// reordered to the networks' slice stack and the prediction reordered back exactly (<see cref="SliceStackOrientation"/>).
/// The output folder appears whole or not at all and is never overwritten.
/// </summary>
public static class LabelMapPredictor
{
    /// <summary>Whether <paramref name="dataPath"/> is an nnU-Net dataset folder (it holds dataset.json).</summary>
    public static bool Accepts(string dataPath) => NnUnetDataset.IsDatasetFolder(dataPath);

    /// <param name="progress">Called after each case with (done, total, case id).</param>
    public static LabelMapPrediction Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null)
    {
        var dataset = NnUnetDataset.Load(dataPath);
        var (cases, source) = dataset.TestCases.Count > 0 ? (dataset.TestCases, "imagesTs") : (dataset.TrainingCases, "imagesTr");
        if (cases.Count == 0)
        {
            throw new MedSegException($"--data {dataPath} has no images in imagesTs or imagesTr; add the images to predict.");
        }
        dataset.RequireOneChannel("prediction");
        var device = Devices.Resolve(deviceName);
        using var ensemble = LoadedEnsemble.Load(runs, weights, options, device);
        if (!ensemble.Classes.SequenceEqual(dataset.Classes))
        {
            throw new MedSegException(
                $"run {runs[0]} predicts classes {string.Join(",", ensemble.Classes)} but {dataPath}/dataset.json labels {string.Join(",", dataset.Classes)}; use a run trained on these classes, in this order.");
        }
        var perVolumeIntensity = ensemble.Intensity == IntensityMapping.PerVolumeRule;
        var segmenter = new SliceSegmenter(ensemble.Members, ensemble.Options, device);
        var written = AtomicFolder.Write(outPath, folder =>
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var image = cases[i].ReadImage();
                var orientation = new SliceStackOrientation(image.Geometry);
                var scratch = Path.Combine(folder, $".scratch-{i}");
                var caseDay = NiftiCaseDay.Write(image, orientation, scratch, perVolumeIntensity);
                var labels = LabelMap(segmenter.Masks(caseDay));
                Directory.Delete(scratch, recursive: true);
                Nifti.Write(Path.Combine(folder, cases[i].Id + ".nii.gz"), orientation.FromStack(labels));
                progress?.Invoke(i + 1, cases.Count, cases[i].Id);
            }
            return cases.Count;
        });
        return new LabelMapPrediction(written, Path.Combine(dataset.Root, source), Path.GetFullPath(outPath));
    }

    /// <summary>One label per voxel from per-class 0/1 masks: k + 1 for class k, the lowest class where masks overlap.</summary>
    private static byte[] LabelMap(byte[][] masks)
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
