using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSeg.Core.Data;

/// <summary>
/// The id of one UW-Madison slice, <c>caseN_dayM_slice_XXXX</c> (slice number 1-based, four digits or more).
/// Only the canonical spelling is accepted, so an id maps to exactly one image path inside the data folder.
/// </summary>
public sealed partial record UwSliceId(int Case, int Day, int Slice)
{
    /// <summary>The case-day part of the id, <c>caseN_dayM</c>.</summary>
    public string CaseDayId => $"case{Case.ToString(CultureInfo.InvariantCulture)}_day{Day.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>caseN_dayM_slice_XXXX</c>; <paramref name="context"/> (e.g. "train.csv line 17") names the source in errors.</summary>
    /// <exception cref="MedSegException">The text is not a canonical slice id.</exception>
    public static UwSliceId Parse(string id, string context)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryParse(id, out var parsed) ? parsed : throw InvalidId(id, context);
    }

    /// <summary>The error for a text that is not a slice id.</summary>
    internal static MedSegException InvalidId(string id, string context) => new(
        $"{context} has id '{id}', which is not a UW-Madison slice id; write it as caseN_dayM_slice_XXXX, e.g. case123_day20_slice_0001.");

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string id, [NotNullWhen(true)] out UwSliceId? parsed)
    {
        parsed = null;
        var match = Pattern().Match(id);
        if (match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int caseNumber)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int day)
            && int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int slice))
        {
            var candidate = new UwSliceId(caseNumber, day, slice);
            // Only the canonical spelling: no leading zeros in case or day, four-digit slice padding.
            if (candidate.ToString() == id)
            {
                parsed = candidate;
                return true;
            }
        }
        return false;
    }

    /// <summary>The canonical id, <c>caseN_dayM_slice_XXXX</c> with the slice number zero-padded to four digits.</summary>
    public override string ToString() => $"{CaseDayId}_slice_{Slice.ToString("D4", CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^case([0-9]{1,9})_day([0-9]{1,9})_slice_([0-9]{4,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
