namespace MedSeg.Core.IO;

/// <summary>
/// Kaggle scores a submission row by row against its <c>sample_submission.csv</c>: the predicted rows are
/// written in the sample's order, one per sample row.
/// </summary>
public static class SampleSubmission
{
    /// <summary>
    /// <paramref name="rows"/> in the order of the sample submission at <paramref name="samplePath"/> (<c>id,class,predicted</c>;
    /// its <c>predicted</c> column is ignored). A sample row without a prediction, or a repeated sample row, is an error
    /// naming the row; predicted rows the sample does not list are left out (their count is returned).
    /// </summary>
    public static (IReadOnlyList<SubmissionRow> Rows, int LeftOut) Order(IReadOnlyList<SubmissionRow> rows, string samplePath)
    {
        var predicted = new Dictionary<(string, string), SubmissionRow>();
        foreach (var row in rows)
        {
            predicted[(row.Id, row.ClassName)] = row;
        }
        var sample = SubmissionCsv.Read(samplePath);
        var ordered = new List<SubmissionRow>(sample.Count);
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < sample.Count; i++)
        {
            var key = (sample[i].Id, sample[i].ClassName);
            if (!seen.Add(key))
            {
                throw new MedSegException($"{samplePath} row {i + 1} repeats id {key.Id} class {key.ClassName}; each (id, class) must appear once.");
            }
            if (!predicted.TryGetValue(key, out var row))
            {
                throw new MedSegException(
                    $"{samplePath} row {i + 1} asks for id {key.Id} class {key.ClassName}, which was not predicted; use the sample submission of this dataset (and the run's classes).");
            }
            ordered.Add(row);
        }
        return (ordered, rows.Count - ordered.Count);
    }
}
