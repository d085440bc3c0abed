using System.Globalization;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Region-of-interest crop of the body (the 15th-place UW-Madison recipe): the border rows and columns whose
/// intensity stays below <see cref="Fraction"/> of a maximum (<see cref="Reference"/>) in every slice of a
/// case-day are dropped. One box serves the whole case-day, so the slices of a 2.5D stack stay aligned; slices are
/// cropped before they are resized to the network size, and predictions are pasted back into the full slice.
/// Text forms: <c>none</c>, <c>slice:F</c>, <c>case-day:F</c> with 0 &lt; F &lt; 1 (e.g. <c>slice:0.1</c>).
/// </summary>
public sealed class RoiCrop
{
    /// <summary>The accepted forms, for help and error text.</summary>
    public const string Forms = "none, slice:F or case-day:F with 0 < F < 1 (the threshold as a fraction of each slice's or the case-day's maximum, e.g. slice:0.1)";

    private RoiCrop(RoiCropReference reference, double fraction)
    {
        Reference = reference;
        Fraction = fraction;
    }

    /// <summary>No crop: the box is always the full slice.</summary>
    public static RoiCrop None { get; } = new(RoiCropReference.Slice, 0);

    /// <summary>A crop keeping pixels of at least <paramref name="fraction"/> × the <paramref name="reference"/> maximum.</summary>
    public static RoiCrop Of(RoiCropReference reference, double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), $"the threshold fraction must lie in (0, 1), not {fraction}.");
        }
        return new RoiCrop(reference, fraction);
    }

    public RoiCropReference Reference { get; }

    /// <summary>The threshold as a fraction of the reference maximum; 0 when the crop is off.</summary>
    public double Fraction { get; }

    public bool Enabled => Fraction > 0;

    /// <summary>Parses <see cref="Forms"/>; <paramref name="source"/> names the option or key in the error.</summary>
    /// <exception cref="MedSegException">The text is not one of <see cref="Forms"/>.</exception>
    public static RoiCrop Parse(string text, string source = "roi_crop")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        RoiCropReference? reference = parts[0] switch
        {
            "slice" => RoiCropReference.Slice,
            "case-day" => RoiCropReference.CaseDay,
            _ => null,
        };
        if (parts is ["none"])
        {
            return None;
        }
        if (reference is { } r && parts.Length == 2
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and < 1)
        {
            return Of(r, fraction);
        }
        throw new MedSegException($"{source} '{text}' is not valid; use one of: {Forms}.");
    }

    /// <summary>
    /// The box of a case-day whose slices are <paramref name="images"/> (each <paramref name="height"/>×<paramref name="width"/>,
    /// row-major): the smallest rectangle holding every pixel at or above the threshold in any slice. The full slice
    /// when the crop is off or no pixel reaches the threshold (an all-dark case-day).
    /// </summary>
    public CropBox Box(IEnumerable<ReadOnlyMemory<ushort>> images, int height, int width)
    {
        var full = CropBox.Full(height, width);
        if (!Enabled)
        {
            return full;
        }
        // Per-slice row and column maxima are all the threshold test needs, and they are small to keep.
        var profiles = new List<(ushort Max, ushort[] Rows, ushort[] Columns)>();
        foreach (var image in images)
        {
            profiles.Add(Profile(image.Span, height, width));
        }
        var caseDayMax = profiles.Count == 0 ? 0 : profiles.Max(p => p.Max);
        var rowKept = new bool[height];
        var columnKept = new bool[width];
        foreach (var (max, rows, columns) in profiles)
        {
            var threshold = Fraction * (Reference == RoiCropReference.Slice ? max : caseDayMax);
            if (threshold <= 0)
            {
                continue;
            }
            Mark(rows, threshold, rowKept);
            Mark(columns, threshold, columnKept);
        }
        var top = Array.IndexOf(rowKept, true);
        var left = Array.IndexOf(columnKept, true);
        if (top < 0 || left < 0)
        {
            return full;
        }
        var bottom = Array.LastIndexOf(rowKept, true);
        var right = Array.LastIndexOf(columnKept, true);
        return new CropBox(top, left, bottom - top + 1, right - left + 1);
    }

    private static (ushort Max, ushort[] Rows, ushort[] Columns) Profile(ReadOnlySpan<ushort> image, int height, int width)
    {
        if (image.Length != height * width)
        {
            throw new ArgumentException($"an image of {image.Length} pixels is not {height}x{width}.", nameof(image));
        }
        var rows = new ushort[height];
        var columns = new ushort[width];
        for (var y = 0; y < height; y++)
        {
            var row = image.Slice(y * width, width);
            ushort rowMax = 0;
            for (var x = 0; x < width; x++)
            {
                var v = row[x];
                rowMax = Math.Max(rowMax, v);
                columns[x] = Math.Max(columns[x], v);
            }
            rows[y] = rowMax;
        }
        ushort max = height == 0 ? (ushort)0 : rows.Max();
        return (max, rows, columns);
    }

    private static void Mark(ushort[] maxima, double threshold, bool[] kept)
    {
        for (var i = 0; i < maxima.Length; i++)
        {
            kept[i] |= maxima[i] >= threshold;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Enabled
        ? $"{(Reference == RoiCropReference.Slice ? "slice" : "case-day")}:{Fraction.ToString("R", CultureInfo.InvariantCulture)}"
        : "none";
}
