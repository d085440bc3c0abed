using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Sharding;
using MedSeg.Torch.Training;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg predict</c> for UW-Madison-layout data: loads the runs as an ensemble, segments every case-day and
/// writes a Kaggle submission (<c>id,class,predicted</c>, one row per slice and class, in case-day and slice order).
/// The sequence is <see cref="SubmissionPipeline"/>'s, shared with the libtorch-free ONNX predictor.
/// </summary>
public static class SubmissionPredictor
{
    /// <param name="runs">Run folders (a <c>--fold all</c> run stands for all its folds); <paramref name="weights"/> gives one
    /// weight per entry (null = equal weights).</param>
    /// <param name="progress">Called after each case-day with (done, total, case-day id).</param>
    /// <param name="probabilitiesFolder">Where to save each case-day's probabilities (<see cref="Core.IO.ProbabilityMaps"/>), or null.</param>
    /// <param name="overlaysFolder">Where to write a PNG overlay of every slice with a prediction, or null.</param>
    /// <param name="gateRun">A classification run (<c>--arch classifier</c>) or its bundle, whose "absent" decisions empty a class on a slice, or null.</param>
    /// <param name="samplePath">A Kaggle <c>sample_submission.csv</c> whose row order the output follows, or null (case-day and slice order).</param>
    /// <param name="message">Called with lines worth telling the user (e.g. rows a sample submission leaves out).</param>
    /// <param name="caseDays">Ids of the case-days to segment (e.g. a run's validation fold), or null for all of them.</param>
    /// <param name="shard">Predict only this shard's cases (<see cref="ShardPartition"/>) and record it beside the partial
    /// submission (<see cref="ShardRecord"/>); a rerun of a finished shard does nothing. Null: every case.</param>
    public static int Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null, string? probabilitiesFolder = null,
        string? overlaysFolder = null, string? gateRun = null, string? samplePath = null, Action<string>? message = null,
        IReadOnlyCollection<string>? caseDays = null, Shard? shard = null)
    {
        var request = new SubmissionRequest(runs, weights, dataPath, outPath, options)
        {
            Gate = gateRun,
            ProbabilitiesFolder = probabilitiesFolder,
            OverlaysFolder = overlaysFolder,
            SamplePath = samplePath,
            CaseDays = caseDays,
            Shard = shard,
        };
        return SubmissionPipeline.Run(request, () => Load(runs, weights, options, deviceName, gateRun), progress, message);
    }

    private static LoadedSegmenter Load(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, PredictOptions options, string deviceName, string? gateRun)
    {
        var device = Devices.Resolve(deviceName);
        var gateFolder = gateRun is null ? null : RunFolder.Load(Export.ModelBundle.Resolve(gateRun));
        if (gateFolder is not null && !TrainingNetworks.IsClassifier(gateFolder.Config))
        {
            throw new MedSegException($"--gate {gateRun} is a segmentation run; the gate is a classification run (medseg train --arch classifier).");
        }
        var ensemble = LoadedEnsemble.Load(runs, weights, options, device);
        EnsembleMember? gate = null;
        try
        {
            gate = gateFolder is null ? null : new EnsembleMember(LoadedEnsemble.Network(gateFolder, options.Backend, device), gateFolder.Config, gateFolder.Info.Classes, 1.0);
            return new LoadedSegmenter(ensemble, gate, device);
        }
        catch
        {
            gate?.Model.Dispose();
            ensemble.Dispose();
            throw;
        }
    }

    /// <summary>The TorchSharp side of <see cref="ICaseDaySegmenter"/>: the ensemble and the gate through <see cref="SliceSegmenter"/>.</summary>
    private sealed class LoadedSegmenter(LoadedEnsemble ensemble, EnsembleMember? gate, Device device) : ICaseDaySegmenter
    {
        private readonly SliceSegmenter segmenter = new(ensemble.Members, ensemble.Options, device, gate);

        public IReadOnlyList<string> Classes => ensemble.Classes;

        public IReadOnlyList<string> Warnings => ensemble.Warnings;

        public string? PostProcessingNote => ensemble.PostProcessingNote;

        public float[][] Probabilities(UwCaseDay caseDay) => segmenter.Probabilities(caseDay);

        public byte[][] Masks(UwCaseDay caseDay, float[][] probabilities) => segmenter.Masks(caseDay, probabilities);

        public void Dispose()
        {
            gate?.Model.Dispose();
            ensemble.Dispose();
        }
    }
}
