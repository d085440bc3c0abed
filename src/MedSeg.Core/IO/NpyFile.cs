using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedSeg.Core.IO;

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0, C order), so arrays MedSeg writes — probability maps — open with
/// <c>numpy.load</c>. Writes little-endian float16 (<c>&lt;f2</c>); reads <c>&lt;f2</c> and <c>&lt;f4</c>.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

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
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"cannot read {path} ({e.Message}).", e);
        }
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic) || bytes[6] != 1)
        {
            throw new MedSegException($"{path} is not a NumPy .npy file (format 1.0); write it with numpy.save.");
        }
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        if (10 + headerLength > bytes.Length)
        {
            throw new MedSegException($"{path} is truncated inside its header.");
        }
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["fortran"].Value != "False")
        {
            throw new MedSegException($"{path}: only C-order '<f2' or '<f4' arrays are supported (header: {header.Trim()}).");
        }
        shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var size = match.Groups["descr"].Value == "<f2" ? 2 : 4;
        var data = bytes.AsSpan(10 + headerLength);
        if (data.Length != count * size)
        {
            throw new MedSegException($"{path} holds {data.Length} data bytes but its shape needs {count * size}; the file is truncated or corrupt.");
        }
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = size == 2
                ? (float)BinaryPrimitives.ReadHalfLittleEndian(data.Slice(i * 2, 2))
                : BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4));
        }
        return values;
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr><f[24])',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[0-9,\s]*)\)")]
    private static partial Regex HeaderPattern();
}
