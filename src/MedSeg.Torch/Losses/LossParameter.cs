using System.Globalization;

namespace MedSeg.Torch.Losses;

/// <summary>
/// A parameter of a loss term as written in a loss description: <c>name=value</c>, a number or, for a flag,
/// <c>true</c>/<c>false</c>. A null default means "off unless given" (focal's α).
/// </summary>
internal sealed record LossParameter(string Name, double? Default, string Rule, Func<double, bool> IsValid, bool IsFlag = false,
    LossMode[]? OnlyIn = null)
{
    public static LossParameter Number(string name, double? @default, string rule, Func<double, bool> isValid, LossMode[]? onlyIn = null) =>
        new(name, @default, rule, isValid, OnlyIn: onlyIn);

    public static LossParameter Flag(string name, bool @default) =>
        new(name, @default ? 1 : 0, "true or false", v => v is 0 or 1, IsFlag: true);

    /// <summary>
    /// Reads a written value; null when it is not a value of this parameter. An optional parameter reads
    /// <c>none</c> as NaN, which the parser resolves to "left off".
    /// </summary>
    public double? Read(string text)
    {
        if (IsFlag)
        {
            return text.ToLowerInvariant() switch
            {
                "true" => 1,
                "false" => 0,
                _ => null,
            };
        }
        if (Default is null && text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && IsValid(value) ? value : null;
    }

    /// <summary>The value as a loss description writes it.</summary>
    public string Format(double? value) => value switch
    {
        null => "none",
        { } v when IsFlag => v != 0 ? "true" : "false",
        { } v => v.ToString("R", CultureInfo.InvariantCulture),
    };
}
