using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedSeg.Tests.Core.IO;

/// <summary>
/// Writes NIfTI-1 and NIfTI-2 files byte by byte from field values given in the test (offsets from nifti1.h and
/// nifti2.h), independently of MedSeg's writer, in either byte order.
/// </summary>
internal sealed class NiftiFileBuilder
{
    public int Version { get; init; } = 1;

    public bool BigEndian { get; init; }

    public short DataType { get; init; } = 4; // int16

    public long[] Dim { get; init; } = [3, 3, 2, 2, 1, 1, 1, 1];

    public double[] PixDim { get; init; } = [1, 1, 1, 1, 0, 0, 0, 0];

    public double SclSlope { get; init; }

    public double SclInter { get; init; }

    public int QFormCode { get; init; }

    public int SFormCode { get; init; }

    /// <summary>quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z.</summary>
    public double[] Quaternion { get; init; } = [0, 0, 0, 0, 0, 0];

    /// <summary>srow_x, srow_y, srow_z (12 values).</summary>
    public double[] SRows { get; init; } = new double[12];

    public string Magic { get; init; } = "";

    /// <summary>Bytes between the header and vox_offset (4 zero extension bytes by default).</summary>
    public int Gap { get; init; } = 4;

    /// <summary>The header followed by <paramref name="data"/> (already in the file's byte order).</summary>
    public byte[] Build(byte[] data)
    {
        int size = Version == 1 ? 348 : 540;
        var bytes = new byte[size + Gap + data.Length];
        var h = bytes.AsSpan();
        Int32(h, 0, size);
        if (Version == 1)
        {
            for (int i = 0; i < 8; i++)
            {
                Int16(h, 40 + 2 * i, (short)Dim[i]);
                Float32(h, 76 + 4 * i, PixDim[i]);
            }
            Int16(h, 70, DataType);
            Float32(h, 108, size + Gap);
            Float32(h, 112, SclSlope);
            Float32(h, 116, SclInter);
            Int16(h, 252, (short)QFormCode);
            Int16(h, 254, (short)SFormCode);
            for (int i = 0; i < 6; i++)
            {
                Float32(h, 256 + 4 * i, Quaternion[i]);
            }
            for (int i = 0; i < 12; i++)
            {
                Float32(h, 280 + 4 * i, SRows[i]);
            }
            Encoding.ASCII.GetBytes(Magic.Length > 0 ? Magic : "n+1\0").CopyTo(h[344..]);
        }
        else
        {
            Encoding.Latin1.GetBytes(Magic.Length > 0 ? Magic : "n+2\0\r\n\u001a\n").CopyTo(h[4..]);
            Int16(h, 12, DataType);
            for (int i = 0; i < 8; i++)
            {
                Int64(h, 16 + 8 * i, Dim[i]);
                Float64(h, 104 + 8 * i, PixDim[i]);
            }
            Int64(h, 168, size + Gap);
            Float64(h, 176, SclSlope);
            Float64(h, 184, SclInter);
            Int32(h, 344, QFormCode);
            Int32(h, 348, SFormCode);
            for (int i = 0; i < 6; i++)
            {
                Float64(h, 352 + 8 * i, Quaternion[i]);
            }
            for (int i = 0; i < 12; i++)
            {
                Float64(h, 400 + 8 * i, SRows[i]);
            }
        }
        data.CopyTo(h[(size + Gap)..]);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }
        return memory.ToArray();
    }

    /// <summary>int16 values in the given byte order.</summary>
    public static byte[] Int16Data(bool bigEndian, params short[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
            }
        }
        return bytes;
    }

    private void Int16(Span<byte> h, int offset, short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(h[offset..], value);
        Order(h.Slice(offset, 2));
    }

    private void Int32(Span<byte> h, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(h[offset..], value);
        Order(h.Slice(offset, 4));
    }

    private void Int64(Span<byte> h, int offset, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(h[offset..], value);
        Order(h.Slice(offset, 8));
    }

    private void Float32(Span<byte> h, int offset, double value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(h[offset..], (float)value);
        Order(h.Slice(offset, 4));
    }

    private void Float64(Span<byte> h, int offset, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(h[offset..], value);
        Order(h.Slice(offset, 8));
    }

    /// <summary>Turns a little-endian field big-endian when the file is.</summary>
    private void Order(Span<byte> field)
    {
        if (BigEndian)
        {
            field.Reverse();
        }
    }
}
