using MedSeg.Core.Evaluation;

namespace MedSeg.Core.Reports;

/// <summary>What <c>medseg report RUN</c> shows of a training run (<see cref="RunReportHtml"/> renders it).</summary>
/// <param name="RunPath">The run folder.</param>
/// <param name="Lines">Lines under the title: what was trained on what.</param>
/// <param name="Settings">The resolved configuration, key → value, in the run's order.</param>
/// <param name="Epochs">Every epoch of the log, in order.</param>
/// <param name="Validation">The best model's validation, scored from its out-of-fold probabilities, or null.</param>
/// <param name="WorstSlices">The worst validation (slice, class) pairs, drawn; empty without <paramref name="Validation"/>.</param>
/// <param name="Notes">What the report could not show and why (one sentence each).</param>
public sealed record RunReport(
    string RunPath, IReadOnlyList<string> Lines, IReadOnlyList<KeyValuePair<string, string>> Settings, IReadOnlyList<TrainingEpoch> Epochs,
    EvaluationReport? Validation, IReadOnlyList<WorstSlice> WorstSlices, IReadOnlyList<string> Notes);
