using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Scores a Kaggle submission CSV against a labelled UW-Madison-layout dataset. Case-days with at least one
/// submission row are evaluated (so a submission for one fold is scored against the full train.csv); inside them,
/// a missing (slice, class) row counts as an empty prediction.
/// </summary>
public static class SubmissionEvaluator
{
    public static readonly string[] MetricNames = ["uwmgi", "uwmgi-directed"];

    public static EvaluationReport Evaluate(string predPath, string truthPath, string metric = "uwmgi")
    {
        if (!MetricNames.Contains(metric))
        {
            throw new MedSegException($"--metric {metric} is unknown for UW-Madison data; valid: {string.Join(", ", MetricNames)}.");
        }
        var truth = UwMadisonDataset.Load(truthPath);
        if (!truth.HasLabels)
        {
            throw new MedSegException($"--truth {truthPath} has no train.csv; evaluation needs labelled data.");
        }
        var predictions = Index(SubmissionCsv.Read(predPath), predPath, truth);
        var caseDays = truth.CaseDays.Where(cd => cd.Slices.Any(s => predictions.ContainsKey(s.Id.ToString()))).ToArray();
        if (caseDays.Length == 0)
        {
            throw new MedSegException($"--pred {predPath} has no row for any slice of {truthPath}; predict that dataset first.");
        }
        var score = Create(metric, truth.Classes);
        var empty = Create(metric, truth.Classes);
        foreach (var caseDay in caseDays)
        {
            var first = caseDay.Slices[0];
            var (depth, height, width) = (caseDay.Slices.Count, first.Height, first.Width);
            var truthMasks = CaseDayMasks.Truth(caseDay, truth.Classes.Count);
            var predMasks = Decode(caseDay, predictions, truth.Classes, predPath);
            score.Update(caseDay.Id, depth, height, width, predMasks, truthMasks);
            var nothing = truth.Classes.Select(_ => new byte[depth * height * width]).ToArray();
            empty.Update(caseDay.Id, depth, height, width, nothing, truthMasks);
        }
        return new EvaluationReport(metric, score.Compute(), empty.Compute().Score, caseDays.Length, caseDays.Sum(cd => cd.Slices.Count));
    }

    private static IUwMadisonMetric Create(string metric, IReadOnlyList<string> classes) =>
        metric == "uwmgi" ? new UwMadisonScore(classes) : new UwMadisonDirectedScore(classes);

    /// <summary>Submission RLE by slice id, then class index; every id and class must exist in the truth.</summary>
    private static Dictionary<string, string[]> Index(IReadOnlyList<SubmissionRow> rows, string predPath, UwMadisonDataset truth)
    {
        var ids = truth.Slices.Select(s => s.Id.ToString()).ToHashSet();
        var byId = new Dictionary<string, string[]>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var c = IndexOf(truth.Classes, row.ClassName);
            if (c < 0)
            {
                throw new MedSegException(
                    $"{predPath} line {i + 2}: class '{row.ClassName}' is not one of {string.Join(", ", truth.Classes)} in {truth.Root}.");
            }
            if (!ids.Contains(row.Id))
            {
                throw new MedSegException($"{predPath} line {i + 2}: id '{row.Id}' is not a slice of {truth.Root}.");
            }
            if (!byId.TryGetValue(row.Id, out var rles))
            {
                byId[row.Id] = rles = new string[truth.Classes.Count];
            }
            rles[c] = row.Rle;
        }
        return byId;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    private static byte[][] Decode(UwCaseDay caseDay, Dictionary<string, string[]> predictions, IReadOnlyList<string> classes, string predPath)
    {
        var first = caseDay.Slices[0];
        var plane = first.Height * first.Width;
        var masks = classes.Select(_ => new byte[caseDay.Slices.Count * plane]).ToArray();
        for (var s = 0; s < caseDay.Slices.Count; s++)
        {
            var slice = caseDay.Slices[s];
            if (!predictions.TryGetValue(slice.Id.ToString(), out var rles))
            {
                continue;
            }
            for (var c = 0; c < classes.Count; c++)
            {
                if (!string.IsNullOrEmpty(rles[c]))
                {
                    Rle.Decode(rles[c], masks[c].AsSpan(s * plane, plane), slice.Height, slice.Width, $"{predPath} ({slice.Id}, {classes[c]})");
                }
            }
        }
        return masks;
    }
}
