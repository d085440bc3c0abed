namespace MedSeg.Core.Evaluation;

/// <summary>The warning when ground truth has items that the predictions skip: they are left out of every figure.</summary>
public static class MissingPredictions
{
    /// <summary>No warning (empty) when nothing is missing; otherwise one line naming up to five of the missing ids.</summary>
    /// <param name="noun">What an item is, singular ("case-day", "case", "image").</param>
    public static IReadOnlyList<string> Warn(IEnumerable<string> truthIds, ISet<string> predictedIds, string noun, string predPath)
    {
        var all = truthIds.Distinct(StringComparer.Ordinal).ToList();
        var missing = all.Where(id => !predictedIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return [];
        }
        var names = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? ", …" : "");
        return [$"{Plural.Of(missing.Count, noun)} of {all.Count} in the ground truth {(missing.Count == 1 ? "has" : "have")} no prediction in {predPath} and {(missing.Count == 1 ? "is" : "are")} not scored: {names}."];
    }
}
