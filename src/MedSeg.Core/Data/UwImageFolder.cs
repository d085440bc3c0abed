using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSeg.Core.Data;

/// <summary>
/// Finds the images of a UW-Madison image folder (<c>train/</c> or <c>test/</c>):
/// <c>caseN/caseN_dayM/scans/slice_XXXX_W_H_SX_SY.png</c>. Only names are read, never pixels.
/// </summary>
internal static partial class UwImageFolder
{
    /// <summary>One image found on disk.</summary>
    internal readonly record struct Image(UwSliceId Id, string Path, UwSliceFileName FileName);

    /// <summary>
    /// All images under <paramref name="folder"/>, keyed by slice id. Hidden entries (names starting with '.')
    /// are skipped; any other folder that does not fit the layout, or PNG with a malformed name, is an error.
    /// </summary>
    public static Dictionary<UwSliceId, Image> Scan(string folder)
    {
        var images = new Dictionary<UwSliceId, Image>();
        foreach (string caseFolder in Directory.EnumerateDirectories(folder))
        {
            string caseName = Path.GetFileName(caseFolder);
            if (IsHidden(caseName))
            {
                continue;
            }
            int caseNumber = ParseNumber(CasePattern().Match(caseName), caseFolder, "caseN folders");
            foreach (string dayFolder in Directory.EnumerateDirectories(caseFolder))
            {
                string dayName = Path.GetFileName(dayFolder);
                if (IsHidden(dayName))
                {
                    continue;
                }
                var match = DayPattern().Match(dayName);
                if (!match.Success || match.Groups[1].Value != caseName[4..])
                {
                    throw new MedSegException(
                        $"Folder {dayFolder} does not belong in {caseFolder}, which holds only {caseName}_dayM folders; rename or move it.");
                }
                int day = ParseNumber(match, dayFolder, $"{caseName}_dayM folders", group: 2);
                AddScans(images, dayFolder, caseNumber, day);
            }
        }
        return images;
    }

    private static void AddScans(Dictionary<UwSliceId, Image> images, string dayFolder, int caseNumber, int day)
    {
        string scans = Path.Combine(dayFolder, "scans");
        if (!Directory.Exists(scans))
        {
            throw new MedSegException($"Case-day folder {dayFolder} has no scans/ folder; put its slice PNGs in {scans}.");
        }
        foreach (string file in Directory.EnumerateFiles(scans, "*.png"))
        {
            if (IsHidden(Path.GetFileName(file)))
            {
                continue;
            }
            var fileName = UwSliceFileName.Parse(file);
            var id = new UwSliceId(caseNumber, day, fileName.Slice);
            if (!images.TryAdd(id, new Image(id, file, fileName)))
            {
                throw new MedSegException(
                    $"Images {images[id].Path} and {file} are both slice {fileName.Slice} of {id.CaseDayId}; remove one of them.");
            }
        }
    }

    private static int ParseNumber(Match match, string folder, string expected, int group = 1)
    {
        if (match.Success && int.TryParse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }
        throw new MedSegException(
            $"Folder {folder} does not fit the UW-Madison layout, where this level holds only {expected}; rename or move it.");
    }

    private static bool IsHidden(string name) => name.StartsWith('.');

    [GeneratedRegex(@"^case(0|[1-9][0-9]{0,8})$", RegexOptions.CultureInvariant)]
    private static partial Regex CasePattern();

    [GeneratedRegex(@"^case(0|[1-9][0-9]{0,8})_day(0|[1-9][0-9]{0,8})$", RegexOptions.CultureInvariant)]
    private static partial Regex DayPattern();
}
