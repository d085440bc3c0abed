using System.Globalization;
using System.Text;

namespace MedSeg.Core.Reports;

/// <summary>One figure of a study's table: its key (as the JSON names it), header, unit, decimals, and whether it is plotted as bars.</summary>
public sealed record StudyColumn(string Key, string Header, string Unit, int Decimals, bool Plot = true);

/// <summary>One configuration of a study: mode, architecture, training cases, and one value per <see cref="StudyReport.Columns"/> entry (NaN = undefined).</summary>
public sealed record StudyRow(string Mode, string Architecture, int TrainCases, IReadOnlyList<double> Values);

/// <summary>
/// What a 2D vs 2.5D vs 3D study (<c>medseg compare</c>) shows in <c>compare.md</c> and <c>report.html</c>
/// (<see cref="StudyReportHtml"/>): a title and setting lines, the figure columns, one row per configuration, and notes
/// that say how the figures were measured.
/// </summary>
public sealed record StudyReport(string Title, IReadOnlyList<string> Lines, IReadOnlyList<StudyColumn> Columns, IReadOnlyList<StudyRow> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>The key of the column that the data-size plot draws (validation Dice).</summary>
    public const string DiceKey = "dice";

    /// <summary>The modes, architectures and training-case counts, each in the order of first appearance (counts largest first).</summary>
    public IReadOnlyList<string> Modes => [.. Rows.Select(r => r.Mode).Distinct()];

    /// <inheritdoc cref="Modes"/>
    public IReadOnlyList<string> Architectures => [.. Rows.Select(r => r.Architecture).Distinct()];

    /// <inheritdoc cref="Modes"/>
    public IReadOnlyList<int> TrainCaseCounts => [.. Rows.Select(r => r.TrainCases).Distinct().OrderDescending()];

    /// <summary>The value of <paramref name="key"/> for the configuration, NaN when it was not run.</summary>
    public double Value(string key, string mode, string architecture, int trainCases)
    {
        var column = Columns.Select((c, i) => (c, i)).First(p => p.c.Key == key).i;
        return Rows.FirstOrDefault(r => r.Mode == mode && r.Architecture == architecture && r.TrainCases == trainCases)?.Values[column] ?? double.NaN;
    }

    /// <summary>A figure with the column's decimals, or <c>n/a</c>.</summary>
    public static string Format(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : Evaluation.EvaluationReport.Undefined;

    /// <summary>The study as Markdown: a heading, the setting, one table row per configuration, then the notes.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {Title}\n\n");
        foreach (var line in Lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line}  \n");
        }
        text.Append("\n| mode | arch | training cases | ").AppendJoin(" | ", Columns.Select(c => c.Unit.Length == 0 ? c.Header : $"{c.Header} ({c.Unit})")).Append(" |\n");
        text.Append("|---|---|---:|").Append(string.Concat(Columns.Select(_ => "---:|"))).Append('\n');
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Mode} | {row.Architecture} | {row.TrainCases} | ")
                .AppendJoin(" | ", Columns.Select((c, i) => Format(row.Values[i], c.Decimals))).Append(" |\n");
        }
        text.Append('\n');
        foreach (var note in Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }
        return text.ToString();
    }
}
