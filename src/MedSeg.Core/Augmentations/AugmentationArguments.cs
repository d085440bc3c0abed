using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Reads one transform's keys from its JSON object, each with a default and a rule, and records the resolved
/// value of every key it reads; the keys read are the valid ones, so a key nobody read is reported as unknown.
/// </summary>
internal sealed class AugmentationArguments
{
    private readonly string source;
    private readonly string transform;
    private readonly JsonElement element;
    private readonly List<string> keys = ["name"];

    public AugmentationArguments(string source, string transform, JsonElement element)
    {
        this.source = source;
        this.transform = transform;
        this.element = element;
        // "p" is reserved second so that the resolved object reads name, p, then the transform's own keys.
        Resolved = new JsonObject { ["name"] = transform, ["p"] = null };
    }

    /// <summary>The transform with every key it takes, defaults filled in.</summary>
    public JsonObject Resolved { get; }

    /// <summary><c>p</c>, how often the transform runs.</summary>
    public double Probability(double @default) => Number("p", @default, 0, 1, "a probability in [0, 1]");

    public double Number(string key, double @default, double min, double max, string rule)
    {
        var value = Read(key, out var written) ? ReadNumber(key, written, min, max, rule) : @default;
        Resolved[key] = value;
        return value;
    }

    public int Integer(string key, int @default, int min, int max, string rule)
    {
        var value = Read(key, out var written) ? ReadInteger(key, written, min, max, rule) : @default;
        Resolved[key] = value;
        return value;
    }

    /// <summary>
    /// A range written <c>[low, high]</c>, or one number x meaning [<paramref name="center"/> − x, center + x]
    /// (or just [x, x] without a center).
    /// </summary>
    public ValueRange Range(string key, ValueRange @default, double? center, double min, double max, string rule)
    {
        var range = @default;
        if (Read(key, out var written))
        {
            if (written.ValueKind == JsonValueKind.Number)
            {
                var x = written.GetDouble();
                range = center is { } c ? ValueRange.Around(c, x) : new ValueRange(x, x);
            }
            else if (written.ValueKind == JsonValueKind.Array && written.GetArrayLength() == 2
                && written[0].ValueKind == JsonValueKind.Number && written[1].ValueKind == JsonValueKind.Number)
            {
                range = new ValueRange(written[0].GetDouble(), written[1].GetDouble());
            }
            else
            {
                throw Error(key, written, rule);
            }
            if (!(range.Low >= min && range.High <= max && range.Low <= range.High))
            {
                throw Error(key, written, rule);
            }
        }
        Resolved[key] = new JsonArray(range.Low, range.High);
        return range;
    }

    /// <summary>A whole-number range written <c>[low, high]</c> or one number n meaning [n, n].</summary>
    public (int Low, int High) IntegerRange(string key, (int Low, int High) @default, int min, int max, string rule)
    {
        var range = @default;
        if (Read(key, out var written))
        {
            range = written.ValueKind switch
            {
                JsonValueKind.Number => (ReadInteger(key, written, min, max, rule), ReadInteger(key, written, min, max, rule)),
                JsonValueKind.Array when written.GetArrayLength() == 2 =>
                    (ReadInteger(key, written[0], min, max, rule), ReadInteger(key, written[1], min, max, rule)),
                _ => throw Error(key, written, rule),
            };
            if (range.Low > range.High)
            {
                throw Error(key, written, rule);
            }
        }
        Resolved[key] = new JsonArray(range.Low, range.High);
        return range;
    }

    /// <summary>A required spatial size: [H, W] or [D, H, W] of positive whole numbers.</summary>
    public int[] Size(string key)
    {
        const string rule = "a size [H, W] or [D, H, W] of positive whole numbers";
        if (!Read(key, out var written))
        {
            throw new MedSegException($"{source}: transform '{transform}' needs key '{key}', {rule}.");
        }
        if (written.ValueKind != JsonValueKind.Array || written.GetArrayLength() is not (2 or 3))
        {
            throw Error(key, written, rule);
        }
        var size = written.EnumerateArray().Select(e => ReadInteger(key, e, 1, 1 << 16, rule)).ToArray();
        Resolved[key] = new JsonArray(size.Select(s => (JsonNode)s).ToArray());
        return size;
    }

    /// <summary>One of the names of <paramref name="valid"/>; the first name of a value is how it is written back.</summary>
    public T Choice<T>(string key, T @default, IReadOnlyList<(string Name, T Value)> valid)
    {
        var value = Read(key, out var written) ? ReadChoice(key, written, valid) : @default;
        Resolved[key] = valid.First(v => EqualityComparer<T>.Default.Equals(v.Value, value)).Name;
        return value;
    }

    /// <summary>A list of names of <paramref name="valid"/>, without repeats.</summary>
    public T[] Choices<T>(string key, T[] @default, IReadOnlyList<(string Name, T Value)> valid)
    {
        var values = @default;
        if (Read(key, out var written))
        {
            if (written.ValueKind != JsonValueKind.Array)
            {
                throw Error(key, written, $"a list of {Names(valid)}");
            }
            values = written.EnumerateArray().Select(e => ReadChoice(key, e, valid)).Distinct().ToArray();
        }
        Resolved[key] = new JsonArray(values.Select(v => (JsonNode)valid.First(n => EqualityComparer<T>.Default.Equals(n.Value, v)).Name).ToArray());
        return values;
    }

    /// <summary>Throws for the first key of the object that no reader asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!keys.Contains(property.Name))
            {
                throw new MedSegException(
                    $"{source}: transform '{transform}' has no key '{property.Name}'; valid keys: {string.Join(", ", keys)}.");
            }
        }
    }

    private bool Read(string key, out JsonElement written)
    {
        keys.Add(key);
        return element.TryGetProperty(key, out written) && written.ValueKind != JsonValueKind.Null;
    }

    private double ReadNumber(string key, JsonElement written, double min, double max, string rule) =>
        written.ValueKind == JsonValueKind.Number && written.GetDouble() is var v && v >= min && v <= max ? v : throw Error(key, written, rule);

    private int ReadInteger(string key, JsonElement written, int min, int max, string rule) =>
        written.ValueKind == JsonValueKind.Number && written.TryGetInt32(out var v) && v >= min && v <= max ? v : throw Error(key, written, rule);

    private T ReadChoice<T>(string key, JsonElement written, IReadOnlyList<(string Name, T Value)> valid)
    {
        var name = written.ValueKind == JsonValueKind.String ? written.GetString()!.ToLowerInvariant() : null;
        foreach (var (n, v) in valid)
        {
            if (n == name)
            {
                return v;
            }
        }
        throw Error(key, written, $"one of {Names(valid)}");
    }

    private static string Names<T>(IReadOnlyList<(string Name, T Value)> valid) => string.Join(", ", valid.Select(v => $"\"{v.Name}\""));

    private MedSegException Error(string key, JsonElement written, string rule) =>
        new($"{source}: transform '{transform}' key '{key}' must be {rule}, not {written.GetRawText()}.");
}
