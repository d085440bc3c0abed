using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Torch.Benchmarks;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// Predicts a run's validation case-days as <c>medseg predict --model RUN --batch-size B</c> does with the run's batch
/// size B (as the trainer's validation does) and the other defaults, without the post-processing decided on that same
/// validation (the trainer scored the network alone), into <c>RUN/validation.csv</c>, timing it and
/// measuring its memory; then scores the submission as <c>medseg evaluate</c> does: the same path for every mode.
/// </summary>
public static class ValidationInference
{
    /// <summary>The submission of the validation case-days, in the run folder.</summary>
    public const string PredictionsFile = "validation.csv";

    public static (InferenceCost Cost, EvaluationReport Score, EvaluationReport Distances) Run(
        string runPath, TrainConfig config, UwMadisonDataset data, IReadOnlyList<UwCaseDay> validation)
    {
        var csv = Path.Combine(runPath, PredictionsFile);
        var ids = validation.Select(c => c.Id).ToArray();
        var (_, seconds, peakMb, gpuPeakMb) = GpuPeakMemory.Measure(config.Device, () =>
            SubmissionPredictor.Predict([runPath], null, data.Root, csv, new PredictOptions(BatchSize: config.BatchSize, ValidatedPostProcess: "none"), config.Device, caseDays: ids));
        var slices = validation.Sum(c => c.Slices.Count);
        var cost = new InferenceCost(seconds, seconds * 1000 / slices, seconds * 1000 / validation.Count, peakMb) { GpuPeakMb = gpuPeakMb };
        var evaluator = SubmissionEvaluator.Load(csv, data.Root);
        return (cost, evaluator.Evaluate(new EvaluationOptions(EvaluationOptions.UwMadison)), evaluator.Evaluate(new EvaluationOptions("dice")));
    }
}
