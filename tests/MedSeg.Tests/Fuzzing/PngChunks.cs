using System.Buffers.Binary;

namespace MedSeg.Tests.Fuzzing;

/// <summary>Recomputes the CRC of every whole chunk of a PNG, so a mutant reaches the decoder's checks behind the CRC.</summary>
internal static class PngChunks
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (int k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c;
    }).ToArray();

    public static byte[] WithValidCrcs(byte[] png)
    {
        var bytes = (byte[])png.Clone();
        for (long at = 8; at + 12 <= bytes.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)at));
            if (at + 12 + length > bytes.Length)
            {
                break;
            }
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan((int)(at + 8 + length)), Crc(bytes.AsSpan((int)at + 4, (int)length + 4)));
            at += 12 + length;
        }
        return bytes;
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return c ^ 0xFFFFFFFFu;
    }
}
