using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Core.Dicom;

namespace MedSeg.Core.Data;

/// <summary>
/// Case ids (output file names) for DICOM series: the name of the folder that holds them when it holds one series,
/// else <c>NAME_sN</c> with the series number N (<c>NAME_sN_2</c>, … when numbers repeat). Built from the path the
/// user chose and the series number only, never from patient tags.
/// </summary>
public static partial class DicomCaseIds
{
    /// <summary>One id per series, in order; <paramref name="source"/> is the folder the series were found in.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<DicomSeries> series, string source)
    {
        ArgumentNullException.ThrowIfNull(series);
        var name = Unsafe().Replace(Path.GetFileName(Path.TrimEndingDirectorySeparator(source)), "_").TrimStart('_', '.', '-');
        name = name.Length == 0 ? "series" : name;
        if (series.Count == 1)
        {
            return [name];
        }
        var ids = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < series.Count; i++)
        {
            var number = series[i].Slices[0].SeriesNumber is { } n ? n.ToString(CultureInfo.InvariantCulture) : (i + 1).ToString(CultureInfo.InvariantCulture);
            var id = $"{name}_s{number}";
            for (var k = 2; !used.Add(id); k++)
            {
                id = $"{name}_s{number}_{k}";
            }
            ids.Add(id);
        }
        return ids;
    }

    [GeneratedRegex(@"[^A-Za-z0-9_.\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();
}
