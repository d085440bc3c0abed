using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.PostProcessing;

namespace MedSeg.Onnx;

/// <summary>
/// <c>medseg predict --backend onnx</c> for UW-Madison-layout data, without libtorch: segments every case-day with
/// model bundles (<c>medseg export --out FILE.zip</c>) or exported ONNX models on ONNX Runtime (2D / 2.5D slice stacks
/// and 3D sliding windows, <see cref="OnnxSegmenter"/>), optionally gated by an exported slice classifier
/// (<see cref="OnnxSliceGate"/>), and writes the Kaggle submission of MedSeg.Torch's <c>SubmissionPredictor</c>: the same
/// sequence (<see cref="SubmissionPipeline"/>: shards, sample order, probability maps, overlays), weights, test-time
/// views, thresholds, floor and post-processing (<see cref="OnnxEnsemble"/>, <see cref="ProbabilityThreshold"/>).
/// </summary>
public static class OnnxSubmissionPredictor
{
    /// <summary>
    /// Writes <see cref="SubmissionRequest.OutPath"/>; <see cref="SubmissionRequest.Models"/> and
    /// <see cref="SubmissionRequest.Gate"/> are bundles (<c>*.zip</c>) or <c>*.onnx</c> files
    /// (<see cref="OnnxLabelMapPredictor.TakesModels"/>); <see cref="PredictOptions.Backend"/> is not read.
    /// </summary>
    /// <param name="progress">Called after each case-day with (done, total, case-day id).</param>
    /// <param name="message">Called with lines worth telling the user (warnings, the post-processing applied).</param>
    /// <returns>The rows written (or already in a finished shard's output).</returns>
    public static int Predict(SubmissionRequest request, Action<int, int, string>? progress = null, Action<string>? message = null) =>
        SubmissionPipeline.Run(request, () => Load(request), progress, message);

    private static GatedSegmenter Load(SubmissionRequest request)
    {
        var gate = request.Gate is { } path ? OnnxSliceGate.Open(path) : null;
        OnnxEnsemble? ensemble = null;
        try
        {
            ensemble = OnnxEnsemble.Open(request.Models, request.Weights, request.Options);
            if (gate is not null)
            {
                EnsembleClasses.CheckGate(gate.Classes, ensemble.Classes);
            }
            return new GatedSegmenter(ensemble, gate);
        }
        catch
        {
            ensemble?.Dispose();
            gate?.Dispose();
            throw;
        }
    }

    /// <summary>The ONNX side of <see cref="ICaseDaySegmenter"/>: the ensemble's probabilities, thresholded with the gate's decisions.</summary>
    private sealed class GatedSegmenter(OnnxEnsemble ensemble, OnnxSliceGate? gate) : ICaseDaySegmenter
    {
        private readonly OnnxSegmenter segmenter = new(ensemble.Members, ensemble.Views, ensemble.Options);

        public IReadOnlyList<string> Classes => ensemble.Classes;

        public IReadOnlyList<string> Warnings => ensemble.Warnings;

        public string? PostProcessingNote => ensemble.PostProcessingNote;

        public float[][] Probabilities(UwCaseDay caseDay) => segmenter.Probabilities(caseDay);

        public byte[][] Masks(UwCaseDay caseDay, float[][] probabilities) =>
            ProbabilityThreshold.Apply(probabilities, caseDay.Slices.Count, caseDay.Slices[0].Height, caseDay.Slices[0].Width, ensemble.Thresholds,
                ensemble.Options.Floor, ensemble.PostProcess, gate?.Decisions(caseDay, ensemble.Options.BatchSize));

        public void Dispose()
        {
            gate?.Dispose();
            ensemble.Dispose();
        }
    }
}
