using System.Buffers.Binary;
using System.Text;

namespace MedSeg.Core.IO;

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0, C order), so arrays MedSeg writes — probability maps — open with
/// <c>numpy.load</c>. Writes little-endian float16 (<c>&lt;f2</c>); reads <c>&lt;f2</c> and <c>&lt;f4</c>.
/// </summary>
public static class NpyFile
{
    /// <summary>The first six bytes of every .npy file.</summary>
    internal static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="values"/> with <paramref name="shape"/> as float16, via a temporary file.</summary>
    public static void WriteFloat16(string path, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill shape ({string.Join(", ", shape.ToArray())})", nameof(shape));
        }
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        var header = $"{{'descr': '<f2', 'fortran_order': False, 'shape': ({dims}), }}";
        var total = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var bytes = new byte[Magic.Length + 4 + header.Length + values.Length * 2];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var data = bytes.AsSpan(10 + header.Length);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(data.Slice(i * 2, 2), (Half)values[i]);
        }
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
    }

    /// <summary>Reads a float16 or float32 C-order array; errors name the file.</summary>
    public static float[] Read(string path, out int[] shape)
    {
        using NpyArrayReader reader = NpyArrayReader.Open(path);
        shape = [.. reader.Shape];
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        reader.Read(values);
        return values;
    }
}
