using System.Globalization;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// How the raw 16-bit intensities of one slice become network input values. Written as text in configs and run
/// folders (<c>ToString</c> gives the canonical form and <see cref="Parse"/> reads it back):
/// <list type="bullet">
/// <item><c>per-image-max</c> — divide by the slice's maximum, giving [0, 1] (the default).</item>
/// <item><c>percentile:LO:HI</c> — clip to the slice's LO-th and HI-th percentiles, then z-score (nnU-Net's CT-like scheme).</item>
/// <item><c>zscore</c> — subtract the slice's mean and divide by its standard deviation.</item>
/// <item><c>window:LO:HI</c> — clip raw values to the fixed window [LO, HI] and scale it to [0, 1].</item>
/// </list>
/// Statistics are taken per image (per slice, after any ROI crop), not per volume: the loader decodes and caches
/// slices independently, and a per-volume statistic would make every sample depend on its whole case-day.
/// Slices preprocessed from NIfTI carry an <see cref="IntensityMapping"/> back to the original units (e.g. Hounsfield
/// units): <c>window</c> is applied to those; <c>zscore</c> and <c>percentile</c> give the same values in stored and
/// original units (both are unchanged by a positive linear map); <c>per-image-max</c> divides the stored values
/// (original − offset), which is the original value for non-negative data.
/// </summary>
public abstract class IntensityNormalisation
{
    /// <summary>The default: divide by the image maximum.</summary>
    public static IntensityNormalisation Default { get; } = new PerImageMaxNormalisation();

    /// <summary>The accepted forms, for help and error text.</summary>
    public const string Forms =
        "per-image-max, zscore, percentile:LO:HI (0 <= LO < HI <= 100, e.g. percentile:0.5:99.5), window:LO:HI (raw values, LO < HI, e.g. window:0:2000)";

    /// <summary>Writes the normalised values of <paramref name="image"/> into <paramref name="output"/> (same length).</summary>
    public abstract void Apply(ReadOnlySpan<ushort> image, Span<float> output);

    /// <summary>
    /// Like <see cref="Apply(ReadOnlySpan{ushort}, Span{float})"/> for an image stored through <paramref name="mapping"/>
    /// (null: the values are the image's own, as in UW-Madison PNGs, and the result is exactly the unmapped one).
    /// </summary>
    public void Apply(ReadOnlySpan<ushort> image, IntensityMapping? mapping, Span<float> output)
    {
        if (mapping is null)
        {
            Apply(image, output);
            return;
        }
        ApplyMapped(image, mapping, output);
    }

    /// <summary>The normalisation of an image stored through <paramref name="mapping"/>; by default that of the stored values, for normalisations a positive linear map does not change.</summary>
    private protected virtual void ApplyMapped(ReadOnlySpan<ushort> image, IntensityMapping mapping, Span<float> output) => Apply(image, output);

    /// <summary>
    /// Parses a normalisation; <paramref name="source"/> names the option or key in the error, which lists the valid forms.
    /// </summary>
    /// <exception cref="MedSegException">The text is not one of <see cref="Forms"/>.</exception>
    public static IntensityNormalisation Parse(string text, string source = "normalisation")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        IntensityNormalisation? parsed = parts[0] switch
        {
            "per-image-max" when parts.Length == 1 => Default,
            "zscore" when parts.Length == 1 => new ZScoreNormalisation(),
            "percentile" when parts.Length == 3 && Number(parts[1]) is { } lo && Number(parts[2]) is { } hi && lo >= 0 && lo < hi && hi <= 100
                => new PercentileNormalisation(lo, hi),
            "window" when parts.Length == 3 && Number(parts[1]) is { } lo && Number(parts[2]) is { } hi && lo < hi
                => new WindowNormalisation(lo, hi),
            _ => null,
        };
        return parsed ?? throw new MedSegException($"{source} '{text}' is not valid; use one of: {Forms}.");
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>Formats a number the way <see cref="Parse"/> reads it.</summary>
    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes (x − mean) / std of <paramref name="values"/> into <paramref name="output"/>; zeros when the values are constant.</summary>
    private protected static void ZScore(ReadOnlySpan<float> values, Span<float> output)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        var mean = values.Length == 0 ? 0 : sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }
        // Population standard deviation, as numpy's std() in nnU-Net's normalisation.
        var std = values.Length == 0 ? 0 : Math.Sqrt(squares / values.Length);
        var scale = std > 0 ? 1 / std : 0;
        for (var p = 0; p < values.Length; p++)
        {
            output[p] = (float)((values[p] - mean) * scale);
        }
    }
}
