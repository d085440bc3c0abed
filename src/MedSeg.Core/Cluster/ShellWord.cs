using System.Text.RegularExpressions;

namespace MedSeg.Core.Cluster;

/// <summary>Quotes words for bash so that they reach the program unchanged.</summary>
public static partial class ShellWord
{
    /// <summary>
    /// <paramref name="word"/> as one bash word: bare when it holds only safe characters, else single-quoted. Each
    /// <paramref name="placeholder"/> in it becomes <paramref name="variable"/> (e.g. <c>${SLURM_ARRAY_TASK_ID}</c>),
    /// outside the quotes so that bash expands it.
    /// </summary>
    public static string Quote(string word, string? placeholder = null, string? variable = null)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (placeholder is not null && variable is not null && word.Contains(placeholder, StringComparison.Ordinal))
        {
            return string.Join(variable, word.Split(placeholder).Select(piece => piece.Length == 0 ? "" : Quote(piece)));
        }
        return word.Length > 0 && Safe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:=,+@%-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Safe();
}
