using CsCheck;

namespace MedSeg.Tests.Fuzzing;

/// <summary>One edit of a text: a token of the format inserted, a range deleted or replaced by a token, or a range repeated.</summary>
internal readonly record struct TextMutation(int Kind, int Position, int Length, int Token)
{
    /// <summary>Mutants of <paramref name="seed"/>: 1 to 6 edits drawing on <paramref name="tokens"/> (the format's delimiters and odd values).</summary>
    public static Gen<string> Mutants(string seed, IReadOnlyList<string> tokens) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[1, 12], Gen.Int[0, tokens.Count - 1],
                (kind, position, length, token) => new TextMutation(kind, position, length, token))
            .Array[1, 6]
            .Select(edits => edits.Aggregate(seed, (text, edit) => edit.ApplyTo(text, tokens)));

    private string ApplyTo(string text, IReadOnlyList<string> tokens)
    {
        int at = text.Length == 0 ? 0 : Position % (text.Length + 1);
        int length = Math.Min(Length, text.Length - at);
        return Kind switch
        {
            0 => text.Insert(at, tokens[Token]),
            1 => text.Remove(at, length),
            2 => text.Remove(at, length).Insert(at, tokens[Token]),
            _ => text.Insert(at, text.Substring(at, length)),
        };
    }
}
