using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// The result of <c>medseg evaluate</c>: the metric's result, the same metric for an all-empty prediction of the
/// same slices (the floor any model must beat), and what was evaluated.
/// </summary>
public sealed record EvaluationReport(string Metric, UwMadisonResult Result, double EmptyScore, int CaseDays, int Slices)
{
    /// <summary>The JSON object DESIGN.md fixes (<c>metric</c>, <c>score</c>, … <c>per_class</c>, <c>per_case</c>) plus extras.</summary>
    public Dictionary<string, object> ToJson()
    {
        var json = new Dictionary<string, object> { ["metric"] = Metric };
        AddMetrics(json, Result.Overall);
        json["per_class"] = Result.PerClass.ToDictionary(p => p.Key, p => (object)Metrics(p.Value));
        json["per_case"] = Result.PerCase.ToDictionary(p => p.Key, p =>
        {
            var caseJson = Metrics(p.Value.Overall);
            caseJson["per_class"] = p.Value.PerClass.ToDictionary(c => c.Key, c => (object)Metrics(c.Value));
            return (object)caseJson;
        });
        json["empty_score"] = Number(EmptyScore);
        json["case_days"] = CaseDays;
        json["slices"] = Slices;
        return json;
    }

    private static Dictionary<string, object> Metrics(UwMadisonMetrics m)
    {
        var json = new Dictionary<string, object>();
        AddMetrics(json, m);
        return json;
    }

    private static void AddMetrics(Dictionary<string, object> json, UwMadisonMetrics m)
    {
        json["score"] = Number(m.Score);
        json["dice"] = Number(m.Dice);
        json["iou"] = Number(m.Iou);
        json["precision"] = Number(m.Precision);
        json["recall"] = Number(m.Recall);
        json["hausdorff"] = Number(m.Hausdorff);
        json["hd95"] = Number(m.Hd95);
    }

    /// <summary>JSON has no NaN: an undefined value (nothing to average) is written as null.</summary>
    private static object Number(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null!;
}
