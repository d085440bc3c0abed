using System.Globalization;

namespace MedSeg.Core.Reports;

/// <summary>What an evaluation report was made from and by what command, shown under its title and in its footer.</summary>
/// <param name="Predictions">Absolute path of the predictions (the output of the model evaluated).</param>
/// <param name="Truth">Absolute path of the ground truth.</param>
/// <param name="CommandLine">The command that wrote the report, arguments quoted where a shell needs it.</param>
/// <param name="Written">When the report was written.</param>
public sealed record EvaluationSource(string Predictions, string Truth, string CommandLine, DateTimeOffset Written)
{
    /// <summary>The source of a report written now by <c>medseg</c> with <paramref name="arguments"/>; the paths are made absolute.</summary>
    /// <param name="predictions">The predictions as given.</param>
    /// <param name="truth">The ground truth as given.</param>
    /// <param name="arguments">The command's arguments after <c>medseg</c> (e.g. <c>evaluate --pred …</c>).</param>
    public static EvaluationSource Now(string predictions, string truth, IEnumerable<string> arguments) =>
        new(Path.GetFullPath(predictions), Path.GetFullPath(truth),
            string.Join(' ', arguments.Select(Quote).Prepend("medseg")), DateTimeOffset.UtcNow);

    /// <summary><see cref="Written"/> in UTC as ISO 8601 to the second, e.g. <c>2025-05-04T13:07:00Z</c>.</summary>
    public string WrittenUtc => Written.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A POSIX shell word: as it is when it has no character the shell treats specially, else in single quotes.
    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
