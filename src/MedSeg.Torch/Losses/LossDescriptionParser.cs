using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Core;

namespace MedSeg.Torch.Losses;

/// <summary>
/// Reads a loss description (the <c>--loss</c> option). Grammar, whitespace allowed between tokens:
/// <code>
/// description := term ( "+" term )*
/// term        := name [ "(" [ key "=" value ( "," key "=" value )* ] ")" ] [ ":" weight ]
/// </code>
/// A term without a weight has weight 1; parameters left out take their defaults. Examples:
/// <c>bce:0.5+dice:0.5</c>, <c>focal+dice</c>, <c>tversky(alpha=0.7,beta=0.3)</c>,
/// <c>bce(pos_weight=3):0.5+focal_tversky(gamma=0.75):0.5</c>, <c>ce+lovasz(per_image=false):0.3</c>.
/// </summary>
internal sealed partial class LossDescriptionParser
{
    private readonly string text;
    private readonly LossMode mode;
    private int position;

    private LossDescriptionParser(string text, LossMode mode)
    {
        this.text = text;
        this.mode = mode;
    }

    /// <summary>The terms of <paramref name="text"/>, or a <see cref="MedSegException"/> naming <c>--loss</c>.</summary>
    public static IReadOnlyList<LossTerm> Parse(string text, LossMode mode) => new LossDescriptionParser(text, mode).Description();

    private List<LossTerm> Description()
    {
        var terms = new List<LossTerm> { Term() };
        while (Accept('+'))
        {
            terms.Add(Term());
        }
        SkipSpace();
        if (position < text.Length)
        {
            throw Error($"'{text[position..]}' is not understood after the last term");
        }
        return terms;
    }

    private LossTerm Term()
    {
        SkipSpace();
        var match = NamePattern().Match(text, position);
        if (!match.Success)
        {
            throw Error(position < text.Length ? $"a term name is expected at '{text[position..]}'" : "a term name is expected at the end");
        }
        position += match.Length;
        var name = match.Value.ToLowerInvariant();
        var spec = LossCatalog.Find(name) ?? throw Error($"'{name}' is not a loss term");
        if (!spec.Modes.Contains(mode))
        {
            throw Error($"'{name}' does not work in {mode.ToString().ToLowerInvariant()} mode; it needs "
                + string.Join(" or ", spec.Modes.Select(m => m.ToString().ToLowerInvariant()))
                + (name == "ce" ? " mode (use bce for sigmoid outputs)" : name == "bce" ? " mode (use ce for a softmax over classes)" : " mode"));
        }
        var written = Accept('(') ? Parameters(spec) : [];
        var weight = 1.0;
        if (Accept(':'))
        {
            var number = NumberPattern().Match(text, position);
            if (!number.Success || !double.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out weight)
                || !(weight >= 0) || !double.IsFinite(weight))
            {
                throw Error($"the weight of '{name}' must be a number ≥ 0");
            }
            position += number.Length;
        }
        var resolved = spec.Parameters.ToDictionary(p => p.Name, p => written.TryGetValue(p.Name, out var v) ? v : p.Default);
        return new LossTerm(spec, weight, resolved);
    }

    private Dictionary<string, double?> Parameters(LossTermSpec spec)
    {
        var values = new Dictionary<string, double?>();
        if (Accept(')'))
        {
            return values;
        }
        do
        {
            SkipSpace();
            var end = text.IndexOfAny([',', ')'], position);
            if (end < 0)
            {
                throw Error($"the parameters of '{spec.Name}' need a closing ')'");
            }
            var pair = text[position..end];
            position = end;
            var equals = pair.IndexOf('=');
            var key = (equals < 0 ? pair : pair[..equals]).Trim().ToLowerInvariant();
            var parameter = spec.Parameters.FirstOrDefault(p => p.Name == key)
                ?? throw Error($"'{spec.Name}' has no parameter '{key}'; "
                    + (spec.Parameters.Length == 0 ? "it takes none" : $"valid: {string.Join(", ", spec.Parameters.Select(p => p.Name))}"));
            if (parameter.OnlyIn is { } modes && !modes.Contains(mode))
            {
                throw Error($"'{spec.Name}' parameter '{key}' does not apply in {mode.ToString().ToLowerInvariant()} mode");
            }
            var value = equals < 0 ? null : parameter.Read(pair[(equals + 1)..].Trim());
            if (value is null)
            {
                throw Error($"'{spec.Name}' parameter '{key}' must be {parameter.Rule}, written {key}=value");
            }
            if (!values.TryAdd(key, double.IsNaN(value.Value) ? null : value))
            {
                throw Error($"'{spec.Name}' parameter '{key}' is given twice");
            }
        }
        while (Accept(','));
        if (!Accept(')'))
        {
            throw Error($"the parameters of '{spec.Name}' need a closing ')'");
        }
        return values;
    }

    private bool Accept(char c)
    {
        SkipSpace();
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private MedSegException Error(string problem) => new(
        $"--loss '{text}': {problem}. Valid terms (with defaults): {LossCatalog.Usage}; "
        + "write a weighted sum like bce:0.5+dice:0.5 or tversky(alpha=0.7,beta=0.3)+focal(gamma=2):0.5.");

    [GeneratedRegex(@"\G[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\G\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")]
    private static partial Regex NumberPattern();
}
