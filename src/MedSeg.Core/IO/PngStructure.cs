using System.Buffers.Binary;

namespace MedSeg.Core.IO;

/// <summary>
/// Checks a PNG's chunk structure before the decoder sees it: the signature, an IHDR chunk first with sane
/// dimensions, every chunk inside the file, image data, and an IEND chunk. A damaged or crafted file is then one
/// clear error instead of a decoder that stalls on a truncated stream or allocates for dimensions its data cannot hold.
/// </summary>
internal static class PngStructure
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    /// <summary>Throws unless <paramref name="bytes"/> (which start with the PNG signature) are a structurally whole PNG.</summary>
    /// <exception cref="MedSegException">The file is truncated, lacks IHDR, image data or IEND, or claims more pixels than its data can hold.</exception>
    public static void Check(ReadOnlySpan<byte> bytes, string path, string expected)
    {
        long width = 0, height = 0, rowBytes = 0, compressed = 0;
        bool end = false;
        for (int at = Signature.Length; !end;)
        {
            if (at + 12 > bytes.Length)
            {
                throw Damaged(path, expected, $"it ends inside a chunk at byte {at} (no IEND chunk)");
            }
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes[at..]);
            var type = bytes.Slice(at + 4, 4);
            if (length > int.MaxValue || at + 12 + length > bytes.Length)
            {
                throw Damaged(path, expected, $"a chunk at byte {at} claims {length} bytes, past the end of the file");
            }
            var data = bytes.Slice(at + 8, (int)length);
            if (at == Signature.Length)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    throw Damaged(path, expected, "it does not start with a 13-byte IHDR chunk");
                }
                width = BinaryPrimitives.ReadUInt32BigEndian(data);
                height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                long bitsPerPixel = (long)data[8] * Channels(data[9]);
                if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue || bitsPerPixel == 0)
                {
                    throw Damaged(path, expected, $"its header gives {width}×{height} pixels of colour type {data[9]} at bit depth {data[8]}");
                }
                rowBytes = 1 + (width * bitsPerPixel + 7) / 8;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                compressed += length;
            }
            end = type.SequenceEqual("IEND"u8);
            at += 12 + (int)length;
        }
        if (compressed == 0)
        {
            throw Damaged(path, expected, "it holds no image data (IDAT chunk)");
        }
        if (rowBytes > DeflateLimit.MaxInflation * compressed / height)
        {
            throw Damaged(path, expected, $"its header claims {width}×{height} pixels, more than its {compressed} bytes of compressed image data can hold");
        }
    }

    private static int Channels(byte colourType) => colourType switch
    {
        0 or 3 => 1,
        4 => 2,
        2 => 3,
        6 => 4,
        _ => 0,
    };

    private static MedSegException Damaged(string path, string expected, string problem) =>
        new($"Image {path} is a damaged PNG: {problem}; replace it with {expected}.");
}
