using MedSeg.Core.Sharding;

namespace MedSeg.Core.Inference;

/// <summary>
/// One <c>medseg predict</c> on UW-Madison-layout data: the models as given on the command line (run folders, bundles,
/// .onnx files; <paramref name="Weights"/> one per model, null = equal), the data folder, the submission CSV to write and
/// the options; the optional outputs and restrictions are init-only properties.
/// </summary>
public sealed record SubmissionRequest(IReadOnlyList<string> Models, IReadOnlyList<double>? Weights, string DataPath, string OutPath, PredictOptions Options)
{
    /// <summary>The empty-slice gate (a classification run or its export), or null.</summary>
    public string? Gate { get; init; }

    /// <summary>Where to save each case-day's probabilities (<see cref="IO.ProbabilityMaps"/>), or null.</summary>
    public string? ProbabilitiesFolder { get; init; }

    /// <summary>Where to write a PNG overlay of every slice with a prediction, or null.</summary>
    public string? OverlaysFolder { get; init; }

    /// <summary>A Kaggle <c>sample_submission.csv</c> whose row order the output follows, or null (case-day and slice order).</summary>
    public string? SamplePath { get; init; }

    /// <summary>Ids of the case-days to segment (e.g. a run's validation fold), or null for all of them.</summary>
    public IReadOnlyCollection<string>? CaseDays { get; init; }

    /// <summary>
    /// Predict only this shard's cases (<see cref="ShardPartition"/>) and record it beside the partial submission
    /// (<see cref="ShardRecord"/>); a rerun of a finished shard does nothing. Null: every case.
    /// </summary>
    public Shard? Shard { get; init; }
}
