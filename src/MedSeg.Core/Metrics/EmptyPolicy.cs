using System.Globalization;

namespace MedSeg.Core.Metrics;

/// <summary>
/// What a metric reports when its definition breaks down because a mask is empty (Dice of two empty masks,
/// Hausdorff distance to an empty mask). Callers always choose one explicitly; there is no hidden default.
/// <see cref="Skip"/> reports <see cref="double.NaN"/>, which the averaging code of MedSeg leaves out.
/// </summary>
public readonly record struct EmptyPolicy
{
    private EmptyPolicy(double value) => Value = value;

    /// <summary>The value reported for the empty case; <see cref="double.NaN"/> for <see cref="Skip"/>.</summary>
    public double Value { get; }

    /// <summary>True when the empty case is reported as NaN and left out of averages.</summary>
    public bool Skips => double.IsNaN(Value);

    /// <summary>Report NaN: the case is left out of averages.</summary>
    public static EmptyPolicy Skip => new(double.NaN);

    /// <summary>Report 0 (e.g. "an empty pair scores nothing").</summary>
    public static EmptyPolicy Zero => new(0);

    /// <summary>Report 1 (e.g. "two empty masks agree perfectly", or the worst normalised distance).</summary>
    public static EmptyPolicy One => new(1);

    /// <summary>Report +infinity (MONAI's Hausdorff distance when one mask is empty).</summary>
    public static EmptyPolicy Infinity => new(double.PositiveInfinity);

    /// <summary>Report a fixed value, e.g. the largest distance possible in the volume (mm).</summary>
    public static EmptyPolicy Constant(double value) => new(value);

    /// <summary>
    /// Reads a policy from text: <c>skip</c> (or <c>nan</c>), <c>zero</c>, <c>one</c>, <c>inf</c> (or
    /// <c>infinity</c>), or a number in invariant culture such as <c>0.5</c>.
    /// </summary>
    /// <exception cref="MedSegException">The text is none of these.</exception>
    public static EmptyPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "skip" or "nan":
                return Skip;
            case "zero":
                return Zero;
            case "one":
                return One;
            case "inf" or "infinity" or "+inf":
                return Infinity;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return Constant(value);
        }
        throw new MedSegException(
            $"Empty-mask policy '{text}' is not valid; use skip, zero, one, inf or a number such as 0.5.");
    }

    /// <inheritdoc />
    public override string ToString() => Skips ? "skip" : Value.ToString("R", CultureInfo.InvariantCulture);
}
