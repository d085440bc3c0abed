using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.IO;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Sharding;

namespace MedSeg.Onnx;

/// <summary>
/// <c>medseg predict --backend onnx</c> for NIfTI and DICOM input, without libtorch: segments every image of an nnU-Net
/// dataset (imagesTs, else imagesTr), a NIfTI file or a folder of them, or DICOM series, with model bundles (<c>medseg
/// export --out FILE.zip</c>) or exported ONNX models on ONNX Runtime, and writes <c>OUT/CASE.nii.gz</c> label maps
/// (uint8: 0 = background, k = k-th class, the lowest class where classes overlap) on each image's grid and affine, or
/// with <see cref="LabelMapFormat.DicomSeg"/> DICOM segmentations <c>OUT/CASE.dcm</c> of the series (<see cref="LabelMapFiles"/>, as the TorchSharp
/// backend writes them), for every case or one shard's. The pipeline is MedSeg.Torch's
/// <c>LabelMapPredictor</c> with the networks and the tensor steps replaced (<see cref="OnnxSegmenter"/>): the same
/// slice-stack presentation and resampling (<see cref="NiftiCasePrediction"/>), weights, test-time views, thresholds
/// and post-processing (<see cref="OnnxEnsemble"/>), <see cref="ProbabilityThreshold"/> and shards (<see cref="PredictionShard"/>). The output folder appears whole or not at all.
/// </summary>
public static class OnnxLabelMapPredictor
{
    /// <summary>Whether <paramref name="dataPath"/> is NIfTI input this predictor reads.</summary>
    public static bool Accepts(string dataPath) => NiftiImageSet.Accepts(dataPath);

    /// <summary>Whether every one of <paramref name="models"/> is a model bundle (<c>*.zip</c>) or an exported model (<c>*.onnx</c>), which this predictor opens (run folders and ensemble files need MedSeg.Torch).</summary>
    public static bool TakesModels(IReadOnlyList<string> models) =>
        models.Count > 0 && models.All(m => m.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || m.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase));

    /// <param name="models">Model bundles (<c>*.zip</c>) or exported models (<c>*.onnx</c>), one per ensemble member.</param>
    /// <param name="weights">One weight per model (null = equal).</param>
    /// <param name="options">As for the TorchSharp backend; <see cref="PredictOptions.Backend"/> is not read.</param>
    /// <param name="progress">Called after each case with (done, total, case id).</param>
    /// <param name="shard">Predict only this shard's cases, balanced by slice count (<see cref="ShardPartition"/>), into a
    /// partial folder with its <see cref="ShardRecord"/> (the TorchSharp backend's shards); a rerun of a finished shard does
    /// nothing. Null: every case.</param>
    /// <param name="format">NIfTI label maps, or DICOM segmentations (<c>CASE.dcm</c>) of DICOM input.</param>
    public static LabelMapPrediction Predict(IReadOnlyList<string> models, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, Action<int, int, string>? progress = null, Shard? shard = null, LabelMapFormat format = LabelMapFormat.Nifti)
    {
        var images = NiftiImageSet.Load(dataPath);
        LabelMapFiles.CheckInputs(images, format);
        var (record, cases) = PredictionShard.PlanLabelMaps(shard, images, format, models, weights, options);
        if (record is not null && record.IsCompleteAt(outPath))
        {
            return new LabelMapPrediction(record.Items.Count, images.Source, Path.GetFullPath(outPath)) { AlreadyComplete = true };
        }
        using var ensemble = OnnxEnsemble.Open(models, weights, options);
        var members = ensemble.Members;
        var first = members[0].Model;
        var classes = ensemble.Classes;
        if (members.FirstOrDefault(m => m.Model.Intensity != first.Intensity) is { } other)
        {
            throw new MedSegException(
                $"--model {first.Path} and {other.Model.Path} store NIfTI intensities differently: runs trained on nnU-Net data and runs trained on UW-Madison PNGs cannot share one NIfTI input; predict with one kind at a time.");
        }
        if (images.Classes is { } labels && !classes.SequenceEqual(labels))
        {
            throw new MedSegException(
                $"--model {first.Path} predicts classes {string.Join(",", classes)} but {dataPath}/dataset.json labels {string.Join(",", labels)}; use a run trained on these classes, in this order.");
        }
        var total = members.Sum(m => m.Weight);
        var groups = members.Select((m, i) => (Member: m, Views: ensemble.Views[i])).GroupBy(m => m.Member.Model.TargetSpacing)
            .Where(g => g.Sum(m => m.Member.Weight) > 0)
            .Select(g => new SpacingGroup(g.Key, (float)(g.Sum(m => m.Member.Weight) / total),
                new OnnxSegmenter([.. g.Select(m => m.Member)], [.. g.Select(m => m.Views)], options).Probabilities))
            .ToArray();
        var perVolumeIntensity = first.Intensity == IntensityMapping.PerVolumeRule;
        var written = AtomicFolder.Write(outPath, folder =>
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var image = cases[i].ReadImage();
                if (members.FirstOrDefault(m => m.Model.ImageChannels != image.Channels) is { } member)
                {
                    throw new MedSegException(
                        $"Image {cases[i].ImagePaths[0]} has {image.Channels} channel(s) but --model {member.Model.Path} was trained on {member.Model.ImageChannels}; give every case that many channel files (CASE_0000, CASE_0001, ...) or use a model trained on {image.Channels}.");
                }
                var (orientation, probabilities) = NiftiCasePrediction.Probabilities(image, classes.Count, groups, Path.Combine(folder, $".scratch-{i}"), perVolumeIntensity);
                var grid = orientation.Grid;
                var masks = ProbabilityThreshold.Apply(probabilities, grid.Depth, grid.Height, grid.Width, ensemble.Thresholds, options.Floor, ensemble.PostProcess);
                LabelMapFiles.Write(folder, cases[i].Id, cases[i].ImagePaths[0], orientation.FromStack(NiftiCasePrediction.LabelMap(masks)), classes, format);
                progress?.Invoke(i + 1, cases.Count, cases[i].Id);
            }
            record?.Write(outPath);
            return cases.Count;
        });
        return new LabelMapPrediction(written, images.Source, Path.GetFullPath(outPath)) { Warnings = [.. ensemble.Warnings, ensemble.PostProcessingNote] };
    }
}
