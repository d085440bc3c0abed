using System.Buffers.Binary;
using CsCheck;

namespace MedSeg.Tests.Fuzzing;

/// <summary>One edit of a byte sequence, as AFL's havoc stage makes them (positions wrap around the current length).</summary>
internal readonly record struct ByteMutation(ByteMutationKind Kind, int Position, long Value, int Width)
{
    /// <summary>Integers and floats (as bit patterns) that break length and bound checks more often than random ones.</summary>
    private static readonly long[] Interesting =
    [
        0, 1, -1, 2, 3, 7, 8, 255, 256, short.MaxValue, short.MinValue, ushort.MaxValue, int.MaxValue, int.MinValue,
        uint.MaxValue, 1L << 31, 1L << 40, long.MaxValue, long.MinValue,
        BitConverter.SingleToInt32Bits(float.NaN), BitConverter.SingleToInt32Bits(float.PositiveInfinity),
        BitConverter.SingleToInt32Bits(1e30f), BitConverter.SingleToInt32Bits(-1f), BitConverter.SingleToInt32Bits(1e-30f),
        BitConverter.DoubleToInt64Bits(double.NaN), BitConverter.DoubleToInt64Bits(1e300), BitConverter.DoubleToInt64Bits(-1.0),
    ];

    /// <summary>Mutants of <paramref name="seed"/>: 1 to 6 edits, three in four placed in its first <paramref name="focus"/> bytes (the header).</summary>
    public static Gen<byte[]> Mutants(byte[] seed, int focus) =>
        Gen.Select(
            Gen.Enum<ByteMutationKind>(),
            Gen.Frequency((3, Gen.Int[0, Math.Max(0, Math.Min(focus, seed.Length) - 1)]), (1, Gen.Int[0, int.MaxValue])),
            Gen.Frequency((1, Gen.Long), (1, Gen.Int[0, Interesting.Length - 1].Select(i => Interesting[i]))),
            Gen.OneOf(1, 2, 4, 8),
            (kind, position, value, width) => new ByteMutation(kind, position, value, width))
        .Array[1, 6]
        .Select(edits => Apply(seed, edits));

    public static byte[] Apply(byte[] seed, ByteMutation[] edits)
    {
        var bytes = new List<byte>(seed);
        foreach (var edit in edits)
        {
            edit.ApplyTo(bytes);
        }
        return [.. bytes];
    }

    private void ApplyTo(List<byte> bytes)
    {
        int at = bytes.Count == 0 ? 0 : Position % bytes.Count;
        switch (Kind)
        {
            case ByteMutationKind.FlipBit when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << (int)((ulong)Value % 8));
                break;
            case ByteMutationKind.SetByte when bytes.Count > 0:
                bytes[at] = (byte)Value;
                break;
            case ByteMutationKind.SetInteger:
                Span<byte> field = stackalloc byte[8];
                if (Position % 2 == 0)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(field, Value);
                }
                else
                {
                    BinaryPrimitives.WriteInt64BigEndian(field, Value);
                    field = field[(8 - Width)..];
                }
                for (int i = 0; i < Width && at + i < bytes.Count; i++)
                {
                    bytes[at + i] = field[i];
                }
                break;
            case ByteMutationKind.Truncate:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case ByteMutationKind.Insert:
                bytes.InsertRange(at, BitConverter.GetBytes(Value).Take(1 + (int)((ulong)Value % 8)));
                break;
            case ByteMutationKind.Delete:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + (int)((ulong)Value % 16)));
                break;
            case ByteMutationKind.Duplicate:
                bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, 1 + (int)((ulong)Value % 64))));
                break;
        }
    }
}
