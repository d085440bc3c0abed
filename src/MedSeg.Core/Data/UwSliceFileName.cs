using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSeg.Core.Data;

/// <summary>
/// The facts a UW-Madison image file name carries, <c>slice_XXXX_W_H_SX_SY.png</c>: slice number (1-based),
/// width and height in pixels, and pixel spacing along x (columns) and y (rows) in mm.
/// </summary>
public sealed partial record UwSliceFileName(int Slice, int Width, int Height, double SpacingX, double SpacingY)
{
    /// <summary>Parses a file name such as <c>slice_0001_266_266_1.50_1.50.png</c> (a path is allowed; only its file name is read).</summary>
    /// <exception cref="MedSegException">The name does not follow the pattern.</exception>
    public static UwSliceFileName Parse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return TryParse(fileName, out var parsed)
            ? parsed
            : throw new MedSegException(
                $"Image file '{fileName}' is not named slice_XXXX_W_H_SX_SY.png (e.g. slice_0001_266_266_1.50_1.50.png with width, height in pixels and spacing in mm); rename it.");
    }

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string fileName, [NotNullWhen(true)] out UwSliceFileName? parsed)
    {
        parsed = null;
        var match = Pattern().Match(Path.GetFileName(fileName));
        if (!match.Success
            || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int slice)
            || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || !int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int height)
            || !double.TryParse(match.Groups[4].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double spacingX)
            || !double.TryParse(match.Groups[5].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double spacingY)
            || width <= 0 || height <= 0 || spacingX <= 0 || spacingY <= 0)
        {
            return false;
        }
        parsed = new UwSliceFileName(slice, width, height, spacingX, spacingY);
        return true;
    }

    /// <summary>The canonical file name, spacings with two decimals: <c>slice_0001_266_266_1.50_1.50.png</c>.</summary>
    public string Format() => string.Create(
        CultureInfo.InvariantCulture, $"slice_{Slice:D4}_{Width}_{Height}_{SpacingX:F2}_{SpacingY:F2}.png");

    [GeneratedRegex(@"^slice_([0-9]{4,9})_([0-9]{1,6})_([0-9]{1,6})_([0-9]+\.[0-9]+)_([0-9]+\.[0-9]+)\.png$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
