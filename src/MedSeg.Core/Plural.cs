namespace MedSeg.Core;

/// <summary>Counts in messages: "1 case-day", "2 case-days", "1 class", "3 classes".</summary>
public static class Plural
{
    /// <summary><paramref name="count"/> and <paramref name="noun"/> (singular), the noun made plural unless the count is 1.</summary>
    public static string Of(long count, string noun) =>
        $"{count} {noun}{(count == 1 ? "" : noun.EndsWith('s') || noun.EndsWith("ch", StringComparison.Ordinal) ? "es" : "s")}";
}
