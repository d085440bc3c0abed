using System.Globalization;
using System.Text;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// The result of <c>medseg evaluate</c>: what was computed and how, the figures overall, per class and per case,
/// and the same metric for an all-empty prediction of the same data (the floor any model must beat).
/// </summary>
/// <param name="Metric">The metric name (<see cref="EvaluationOptions.MetricNames"/>).</param>
/// <param name="Aggregation">Where overlap ratios were taken; null under the uwmgi presets (per slice by definition).</param>
/// <param name="Empty">What a both-empty overlap ratio scored; null under the uwmgi presets (skipped by definition).</param>
/// <param name="DistanceUnit"><see cref="NormalisedUnit"/> (uwmgi presets) or <see cref="MillimetreUnit"/>.</param>
/// <param name="Overall">Figures over everything.</param>
/// <param name="PerClass">Class name → figures, in class order.</param>
/// <param name="PerCase">Case id → figures, ordered by id.</param>
/// <param name="EmptyScore">The score of an all-empty prediction of the same cases.</param>
/// <param name="CaseKind">What a case is: "case-day" (UW-Madison) or "case" (label maps).</param>
/// <param name="Slices">Number of slices evaluated (2-D images, or planes of the volumes).</param>
/// <param name="PrecisionRecall">Per-class precision–recall from probability maps, or null when none were given.</param>
/// <param name="Multiclass">Dataset-wide IoU of every class, background included, and their mean (folder datasets of mutually exclusive classes), or null.</param>
public sealed record EvaluationReport(
    string Metric,
    OverlapAggregation? Aggregation,
    EmptyPolicy? Empty,
    string DistanceUnit,
    EvaluationFigures Overall,
    IReadOnlyDictionary<string, EvaluationFigures> PerClass,
    IReadOnlyDictionary<string, EvaluationCase> PerCase,
    double EmptyScore,
    string CaseKind,
    int Slices,
    PrecisionRecallResult? PrecisionRecall = null,
    MulticlassIouResult? Multiclass = null)
{
    /// <summary>Distances divided by the volume's extent per axis and by √3 (0 best, 1 worst).</summary>
    public const string NormalisedUnit = "normalised";

    /// <summary>Distances in millimetres.</summary>
    public const string MillimetreUnit = "mm";

    /// <summary>Distances in pixels (2-D images without a physical spacing).</summary>
    public const string PixelUnit = "px";

    /// <summary>The text written where a figure is undefined.</summary>
    public const string Undefined = "n/a";

    /// <summary>The headline score.</summary>
    public double Score => Overall.Score;

    /// <summary>
    /// The JSON object DESIGN.md fixes (<c>metric</c>, <c>score</c>, <c>dice</c>, <c>iou</c>, <c>precision</c>,
    /// <c>recall</c>, <c>hausdorff</c>, <c>hd95</c>, <c>per_class</c>, <c>per_case</c> with its own <c>per_class</c>)
    /// plus <c>f1</c>, <c>specificity</c>, <c>assd</c>, <c>hausdorff_unit</c>, <c>aggregate</c>, <c>empty</c>,
    /// <c>empty_score</c>, <c>cases</c>, <c>slices</c> (and <c>case_days</c> for UW-Madison data); with probability
    /// maps, <c>average_precision</c> (mean over classes with positives) and a <c>pr</c> object in each
    /// <c>per_class</c> entry (<c>average_precision</c>, <c>best_threshold</c>, <c>best_f1</c>, <c>positives</c>,
    /// <c>negatives</c>, <c>thresholds</c>); for folder datasets <c>miou</c> (<see cref="Multiclass"/>'s mean) and
    /// <c>miou_per_class</c> (every class, background included, → its dataset-wide IoU). JSON has no NaN: an undefined figure is null.
    /// </summary>
    public Dictionary<string, object?> ToJson()
    {
        var json = new Dictionary<string, object?> { ["metric"] = Metric };
        AddFigures(json, Overall);
        json["per_class"] = PerClass.ToDictionary(p => p.Key, p =>
        {
            Dictionary<string, object?> classJson = Figures(p.Value);
            if (PrecisionRecall?.Curves.FirstOrDefault(curve => curve.ClassName == p.Key) is { } curve)
            {
                classJson["pr"] = new Dictionary<string, object?>
                {
                    ["average_precision"] = Number(curve.AveragePrecision),
                    ["best_threshold"] = Number(curve.BestThreshold),
                    ["best_f1"] = Number(curve.BestF1),
                    ["positives"] = curve.Positives,
                    ["negatives"] = curve.Negatives,
                    ["thresholds"] = curve.Thresholds.Count,
                };
            }
            return (object?)classJson;
        });
        json["per_case"] = PerCase.ToDictionary(p => p.Key, p =>
        {
            Dictionary<string, object?> caseJson = Figures(p.Value.Overall);
            caseJson["per_class"] = p.Value.PerClass.ToDictionary(c => c.Key, c => (object?)Figures(c.Value));
            return (object?)caseJson;
        });
        json["hausdorff_unit"] = DistanceUnit;
        json["aggregate"] = Aggregation is null ? "slice" : Aggregation.Value.ToString().ToLowerInvariant();
        json["empty"] = Empty is null ? "skip" : EmptyText(Empty.Value);
        json["empty_score"] = Number(EmptyScore);
        json["cases"] = PerCase.Count;
        if (CaseKind == "case-day")
        {
            json["case_days"] = PerCase.Count;
        }
        json["slices"] = Slices;
        if (PrecisionRecall is not null)
        {
            json["average_precision"] = Number(PrecisionRecall.MeanAveragePrecision);
        }
        if (Multiclass is not null)
        {
            json["miou"] = Number(Multiclass.Mean);
            json["miou_per_class"] = Multiclass.Classes.Select((name, k) => (name, k)).ToDictionary(c => c.name, c => Number(Multiclass.PerClass[c.k]));
        }
        return json;
    }

    /// <summary>Ids of the <paramref name="count"/> cases with the lowest score, lowest first (undefined scores last, ties by id).</summary>
    public IReadOnlyList<string> LowestScoringCases(int count) => PerCase
        .OrderBy(p => double.IsNaN(p.Value.Overall.Score) ? double.PositiveInfinity : p.Value.Overall.Score)
        .ThenBy(p => p.Key, StringComparer.Ordinal)
        .Take(count)
        .Select(p => p.Key)
        .ToArray();

    /// <summary>
    /// A plain-text table for a terminal: a header line saying what was computed, one row for all classes and one
    /// per class, the precision–recall figures per class when probability maps were given, and the score against
    /// the all-empty floor; undefined figures read <see cref="Undefined"/>.
    /// </summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        string how = Aggregation is null
            ? "Dice per slice, both-empty skipped"
            : $"ratios per {Aggregation.Value.ToString().ToLowerInvariant()}, both-empty {((Empty ?? EmptyPolicy.Skip).Skips ? "skipped" : "scored " + EmptyText(Empty!.Value))}";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Metric} on {Plural.Of(PerCase.Count, CaseKind)}, {Plural.Of(Slices, "slice")} ({how}; distances {DistanceUnit switch { MillimetreUnit => "in mm", PixelUnit => "in pixels", _ => "normalised, 0 best, 1 worst" }})");
        int nameWidth = Math.Max(14, PerClass.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max() + 1);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"".PadRight(nameWidth)} {"score",7} {"dice",7} {"iou",7} {"prec",7} {"recall",7} {"hd",7} {"hd95",7}");
        text.AppendLine(Row("all classes", Overall, nameWidth));
        foreach ((string name, EvaluationFigures figures) in PerClass)
        {
            text.AppendLine(Row(name, figures, nameWidth));
        }
        if (PrecisionRecall is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"precision–recall from the probability maps (voxel-wise): mean average precision {Format(PrecisionRecall.MeanAveragePrecision)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"{"".PadRight(nameWidth)} {"AP",7} {"best F1",7} {"at p ≥",7}");
            foreach (PrecisionRecallCurve curve in PrecisionRecall.Curves)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{curve.ClassName.PadRight(nameWidth)} {Format(curve.AveragePrecision),7} {Format(curve.BestF1),7} {Format(curve.BestThreshold),7}");
            }
        }
        if (Multiclass is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"mean IoU over {Multiclass.PerClass.Count(v => !double.IsNaN(v))} classes, background included (dataset-wide): {Format(Multiclass.Mean)}");
        }
        string prediction = CaseKind == "case-day" ? "submission" : "prediction";
        text.Append(CultureInfo.InvariantCulture, $"score {Format(Score)} (an all-empty {prediction} scores {Format(EmptyScore)})");
        return text.ToString();
    }

    /// <summary>A figure with four decimals, or <see cref="Undefined"/> when it is not a finite number.</summary>
    public static string Format(double value) =>
        double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : Undefined;

    private static string Row(string name, EvaluationFigures f, int nameWidth) => string.Create(CultureInfo.InvariantCulture,
        $"{name.PadRight(nameWidth)} {Format(f.Score),7} {Format(f.Dice),7} {Format(f.Iou),7} {Format(f.Precision),7} {Format(f.Recall),7} {Format(f.Hausdorff),7} {Format(f.Hd95),7}");

    private static string EmptyText(EmptyPolicy policy) => policy.Skips ? "skip" : policy.Value switch
    {
        0 => "zero",
        1 => "one",
        _ => policy.ToString(),
    };

    private static Dictionary<string, object?> Figures(EvaluationFigures figures)
    {
        var json = new Dictionary<string, object?>();
        AddFigures(json, figures);
        return json;
    }

    private static void AddFigures(Dictionary<string, object?> json, EvaluationFigures f)
    {
        json["score"] = Number(f.Score);
        json["dice"] = Number(f.Dice);
        json["iou"] = Number(f.Iou);
        json["precision"] = Number(f.Precision);
        json["recall"] = Number(f.Recall);
        json["f1"] = Number(f.F1);
        json["specificity"] = Number(f.Specificity);
        json["hausdorff"] = Number(f.Hausdorff);
        json["hd95"] = Number(f.Hd95);
        json["assd"] = Number(f.Assd);
    }

    /// <summary>A figure for JSON, rounded to six decimals; JSON has no NaN or infinity, so an undefined value is null.</summary>
    public static object? Number(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;
}
