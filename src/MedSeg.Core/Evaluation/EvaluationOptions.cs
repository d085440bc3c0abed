using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// What <c>medseg evaluate</c> computes: a metric preset, and for overlap metrics where ratios are taken and what a
/// both-empty case scores. Left unset, the aggregation is the data's natural one (per slice for UW-Madison
/// case-days, per volume for label maps) and both-empty cases are skipped; the report always states both.
/// </summary>
/// <param name="Metric">One of <see cref="MetricNames"/>.</param>
/// <param name="Aggregation">Overlap aggregation level; null for the data's default. Not allowed with the uwmgi presets.</param>
/// <param name="Empty">Both-empty policy of overlap ratios; null for skip. Not allowed with the uwmgi presets.</param>
/// <param name="Probabilities">A folder of probability maps (<c>CASE.npy</c>, as <c>medseg predict --save-probabilities</c>
/// writes them) to add per-class precision–recall to the report; null for none.</param>
public sealed record EvaluationOptions(
    string Metric, OverlapAggregation? Aggregation = null, EmptyPolicy? Empty = null, string? Probabilities = null)
{
    /// <summary>The UW-Madison competition score (DESIGN.md), the default for UW-Madison data.</summary>
    public const string UwMadison = "uwmgi";

    /// <summary>The per-class directed UW-Madison variant of the competition's 1st-place team.</summary>
    public const string UwMadisonDirected = "uwmgi-directed";

    /// <summary>Every metric name <c>--metric</c> accepts.</summary>
    public static readonly IReadOnlyList<string> MetricNames =
        [UwMadison, UwMadisonDirected, "dice", "iou", "precision", "recall", "f1", "specificity"];

    /// <summary>Whether the metric is one of the UW-Madison presets (which fix their own aggregation and distances).</summary>
    public bool IsUwMadison => Metric is UwMadison or UwMadisonDirected;

    /// <summary>The overlap ratio an overlap metric reports as its score.</summary>
    /// <exception cref="InvalidOperationException">The metric is a UW-Madison preset.</exception>
    public OverlapMeasure Measure => IsUwMadison
        ? throw new InvalidOperationException($"{Metric} is not an overlap metric.")
        : Enum.Parse<OverlapMeasure>(Metric, ignoreCase: true);

    /// <summary>The both-empty policy in force (skip unless set).</summary>
    public EmptyPolicy EmptyOrSkip => Empty ?? EmptyPolicy.Skip;

    /// <summary>Options from command-line text; null <paramref name="aggregate"/> or <paramref name="empty"/> means not given.</summary>
    /// <param name="metric">A name from <see cref="MetricNames"/>.</param>
    /// <param name="aggregate"><c>slice</c>, <c>volume</c> or <c>global</c>.</param>
    /// <param name="empty"><c>skip</c>, <c>one</c> or <c>zero</c>.</param>
    /// <exception cref="MedSegException">A name is unknown, or an overlap option is combined with a UW-Madison preset.</exception>
    public static EvaluationOptions Parse(string metric, string? aggregate, string? empty)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!MetricNames.Contains(metric))
        {
            throw new MedSegException($"--metric {metric} is unknown; use one of {string.Join(", ", MetricNames)}.");
        }
        var options = new EvaluationOptions(metric);
        if (options.IsUwMadison && (aggregate is not null || empty is not null))
        {
            throw new MedSegException(
                $"--{(aggregate is not null ? "aggregate" : "empty")} applies to the overlap metrics (dice, iou, precision, recall, f1, specificity); --metric {metric} fixes its own (per slice, both-empty skipped), so leave it out.");
        }
        return options with
        {
            Aggregation = aggregate is null ? null : ParseAggregation(aggregate),
            Empty = empty is null ? null : ParseEmpty(empty),
        };
    }

    /// <summary>The aggregation in force for data whose natural level is <paramref name="natural"/>.</summary>
    public OverlapAggregation AggregationOr(OverlapAggregation natural) => Aggregation ?? natural;

    private static OverlapAggregation ParseAggregation(string text) => text.ToLowerInvariant() switch
    {
        "slice" => OverlapAggregation.Slice,
        "volume" => OverlapAggregation.Volume,
        "global" => OverlapAggregation.Global,
        _ => throw new MedSegException($"--aggregate {text} is unknown; use slice, volume or global."),
    };

    private static EmptyPolicy ParseEmpty(string text) => text.ToLowerInvariant() switch
    {
        "skip" => EmptyPolicy.Skip,
        "one" => EmptyPolicy.One,
        "zero" => EmptyPolicy.Zero,
        _ => throw new MedSegException($"--empty {text} is unknown; use skip, one or zero."),
    };
}
