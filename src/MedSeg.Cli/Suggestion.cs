namespace MedSeg.Cli;

/// <summary>"did you mean …?" for a mistyped command or option: the closest valid name within two edits.</summary>
public static class Suggestion
{
    /// <summary>The valid name closest to <paramref name="typed"/> (at most 2 edits, or a unique prefix); null when none is close.</summary>
    public static string? Closest(string typed, IEnumerable<string> valid)
    {
        var names = valid.ToList();
        var prefixed = names.Where(n => n.StartsWith(typed, StringComparison.Ordinal) && typed.TrimStart('-').Length >= 2).ToList();
        if (prefixed.Count == 1)
        {
            return prefixed[0];
        }
        return names.Select(n => (Name: n, Distance: Distance(typed, n)))
            .Where(c => c.Distance <= 2 && c.Distance < c.Name.Length)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
