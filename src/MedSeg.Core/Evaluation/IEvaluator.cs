namespace MedSeg.Core.Evaluation;

/// <summary>
/// Predictions loaded next to their ground truth, ready to be scored: a UW-Madison submission
/// (<see cref="SubmissionEvaluator"/>) or a folder of label maps (<see cref="LabelMapEvaluator"/>).
/// </summary>
public interface IEvaluator
{
    /// <summary>Class names in label (mask) order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>The metric used when none is asked for: uwmgi for UW-Madison data, dice for label maps.</summary>
    string DefaultMetric { get; }

    /// <summary>What the user should know before reading the figures, e.g. ground truth that has no prediction (one line each).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Scores the predictions.</summary>
    /// <exception cref="MedSegException">A file is unreadable or does not match, or the metric does not apply to this data.</exception>
    EvaluationReport Evaluate(EvaluationOptions options);

    /// <summary>
    /// The <paramref name="slices"/> lowest-Dice (slice, class) pairs within the <paramref name="cases"/> lowest-scoring
    /// cases of <paramref name="report"/>, drawn over their images; empty when the data has no images.
    /// </summary>
    IReadOnlyList<WorstSlice> FindWorstSlices(EvaluationReport report, int cases = 4, int slices = 8);
}
