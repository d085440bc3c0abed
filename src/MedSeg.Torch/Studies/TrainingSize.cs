using System.Globalization;
using MedSeg.Core;

namespace MedSeg.Torch.Studies;

/// <summary>
/// One training-set size of <c>medseg compare --train-sizes</c>: a number of training cases (patients), given as a count
/// (<c>4</c>) or as a percentage of the fold's training cases (<c>50%</c>, rounded to the nearest case).
/// </summary>
public sealed record TrainingSize(string Text, double Value, bool Percent)
{
    private const string Syntax = "comma-separated percentages of the fold's training cases or case counts, e.g. --train-sizes 100%,50%,20% or --train-sizes 8,4,2";

    /// <summary>Sizes from <c>--train-sizes</c> text, in the order given.</summary>
    /// <exception cref="MedSegException">A size is malformed, not positive, above 100 %, or repeated.</exception>
    public static IReadOnlyList<TrainingSize> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new MedSegException($"--train-sizes '{text}' names no size; give {Syntax}.");
        }
        var sizes = items.Select(item => ParseOne(text, item)).ToArray();
        if (sizes.GroupBy(s => (s.Value, s.Percent)).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new MedSegException($"--train-sizes {text} names {repeated.First().Text} twice; give each size once.");
        }
        return sizes;
    }

    private static TrainingSize ParseOne(string text, string item)
    {
        var percent = item.EndsWith('%');
        var number = percent ? item[..^1].Trim() : item;
        double value = 0;
        var valid = percent
            ? double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && value <= 100
            : int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && (value = count) > 0;
        if (!valid)
        {
            throw new MedSegException(
                $"--train-sizes {text}: '{item}' is not {(percent ? "a percentage above 0 and at most 100" : "a positive whole number of cases or a percentage")}; give {Syntax}.");
        }
        return new TrainingSize(item, value, percent);
    }

    /// <summary>The cases this size keeps of <paramref name="available"/> training cases.</summary>
    /// <exception cref="MedSegException">It keeps none, or more than there are; the message names <c>--train-sizes</c>.</exception>
    public int Cases(int available)
    {
        var cases = Percent ? (int)Math.Round(Value / 100 * available, MidpointRounding.AwayFromZero) : (int)Value;
        if (cases < 1)
        {
            throw new MedSegException(
                $"--train-sizes {Text} leaves no training case: the fold has {available} training case(s) and {Text} of them rounds to 0; use a larger size (at least {Math.Ceiling(50.0 / available)}%) or a count such as 1.");
        }
        if (cases > available)
        {
            throw new MedSegException(
                $"--train-sizes {Text} asks for {cases} training cases but the fold has {available}; give at most {available} (or 100%).");
        }
        return cases;
    }
}
