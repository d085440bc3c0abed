using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Sharding;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg predict</c> for NIfTI input (<see cref="NiftiImageSet"/>: an nnU-Net dataset's imagesTs, else imagesTr;
/// a single NIfTI file; or a plain folder of them): segments every image with runs whose classes are dataset.json's
/// labels for a dataset (any classes for plain files), trained on UW-Madison-layout data or on an nnU-Net dataset,
/// whose per-volume intensity mapping is applied to each input channel as in training; the image must have the
/// runs' channel count. Each image is reordered to the networks' slice stack (<see cref="SliceStackOrientation"/>);
/// for a 3D run trained at a target spacing the stack is resampled to it, and the run's probabilities resampled back
/// to the image's own stack grid (trilinear) before members are averaged and thresholded, so the label map
/// <c>OUT/CASE.nii.gz</c> (uint8: 0 = background, k = k-th class; where classes overlap the lower k wins, as in
/// nnU-Net's label convention for the synthetic data) lies exactly on the input's grid and affine. DICOM input (a
/// folder of series or one file of a series) is read the same way; with <see cref="LabelMapFormat.DicomSeg"/> each
/// label map is written as a DICOM segmentation <c>OUT/CASE.dcm</c> of its series instead. The output folder
/// appears whole or not at all and is never overwritten.
/// </summary>
public static class LabelMapPredictor
{
    /// <summary>Whether <paramref name="dataPath"/> is NIfTI input (see <see cref="NiftiImageSet.Accepts"/>).</summary>
    public static bool Accepts(string dataPath) => NiftiImageSet.Accepts(dataPath);

    /// <param name="progress">Called after each case with (done, total, case id).</param>
    /// <param name="format">NIfTI label maps, or DICOM segmentations (CASE.dcm) of DICOM input.</param>
    /// <param name="shard">Predict only this shard's cases, balanced by slice count (<see cref="ShardPartition"/>), into a
    /// partial folder with its <see cref="ShardRecord"/>; a rerun of a finished shard does nothing. Null: every case.</param>
    public static LabelMapPrediction Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null, Shard? shard = null, LabelMapFormat format = LabelMapFormat.Nifti)
    {
        var images = NiftiImageSet.Load(dataPath);
        LabelMapFiles.CheckInputs(images, format);
        var (record, cases) = PredictionShard.PlanLabelMaps(shard, images, format, runs, weights, options);
        if (record is not null && record.IsCompleteAt(outPath))
        {
            return new LabelMapPrediction(record.Items.Count, images.Source, Path.GetFullPath(outPath)) { AlreadyComplete = true };
        }
        var device = Devices.Resolve(deviceName);
        using var ensemble = LoadedEnsemble.Load(runs, weights, options, device);
        if (images.Classes is { } classes && !ensemble.Classes.SequenceEqual(classes))
        {
            throw new MedSegException(
                $"run {runs[0]} predicts classes {string.Join(",", ensemble.Classes)} but {dataPath}/dataset.json labels {string.Join(",", classes)}; use a run trained on these classes, in this order.");
        }
        var perVolumeIntensity = ensemble.Intensity == IntensityMapping.PerVolumeRule;
        var segmenter = new SliceSegmenter(ensemble.Members, ensemble.Options, device);
        var groups = SpacingGroups(ensemble, device);
        var written = AtomicFolder.Write(outPath, folder =>
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var image = cases[i].ReadImage();
                RequireChannels(cases[i], image.Channels, ensemble.Members);
                var (orientation, probabilities) = NiftiCasePrediction.Probabilities(image, ensemble.Classes.Count, groups, Path.Combine(folder, $".scratch-{i}"), perVolumeIntensity);
                var grid = orientation.Grid;
                var labels = NiftiCasePrediction.LabelMap(segmenter.Masks(probabilities, grid.Depth, grid.Height, grid.Width));
                LabelMapFiles.Write(folder, cases[i].Id, cases[i].ImagePaths[0], orientation.FromStack(labels), ensemble.Classes, format);
                progress?.Invoke(i + 1, cases.Count, cases[i].Id);
            }
            record?.Write(outPath);
            return cases.Count;
        });
        return new LabelMapPrediction(written, images.Source, Path.GetFullPath(outPath)) { Warnings = [.. ensemble.Warnings, .. new[] { ensemble.PostProcessingNote }.OfType<string>()] };
    }

    /// <summary>
    /// The members grouped by the stack spacing their input is resampled to (null: the image's own grid), each group
    /// with its segmenter and its share of the ensemble weight; groups without weight are left out.
    /// </summary>
    private static List<SpacingGroup> SpacingGroups(LoadedEnsemble ensemble, Device device)
    {
        var total = ensemble.Members.Sum(m => m.Weight);
        return ensemble.Members.GroupBy(m => m.Config.TargetSpacing)
            .Where(g => g.Sum(m => m.Weight) > 0)
            .Select(g => new SpacingGroup(g.First().Config.ParsedTargetSpacing, (float)(g.Sum(m => m.Weight) / total),
                new SliceSegmenter(g.ToArray(), ensemble.Options, device).Probabilities))
            .ToList();
    }

    /// <summary>The one-sentence error for an image whose channel count differs from a run's.</summary>
    private static void RequireChannels(NnUnetCase image, int channels, IReadOnlyList<EnsembleMember> members)
    {
        if (members.FirstOrDefault(m => m.Config.Channels != channels) is { } member)
        {
            var needed = string.Join(", ", Enumerable.Range(0, member.Config.Channels).Select(c => $"{image.Id}_{c:D4}"));
            throw new MedSegException(
                $"Image {image.ImagePaths[0]} has {channels} channel(s) ({string.Join(", ", image.ImagePaths.Select(Path.GetFileName))}) but run {member.Run} was trained on {member.Config.Channels}; give every case the files {needed} or use a run trained on {channels} channel(s).");
        }
    }
}
