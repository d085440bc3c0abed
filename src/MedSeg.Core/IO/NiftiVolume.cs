using System.Numerics;
using System.Runtime.InteropServices;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// A NIfTI file as read: its header and its stored values (X·Y·Z per channel, x fastest, already in this machine's
/// byte order). <see cref="ToImage"/> and <see cref="ToLabels"/> apply <c>scl_slope</c>/<c>scl_inter</c> and give
/// MedSeg's volume types.
/// </summary>
public sealed class NiftiVolume
{
    private readonly byte[] _data;

    internal NiftiVolume(string path, NiftiHeader header, byte[] data)
    {
        Path = path;
        Header = header;
        _data = data;
    }

    /// <summary>The file it came from.</summary>
    public string Path { get; }

    public NiftiHeader Header { get; }

    /// <summary>The true values (scaled) as doubles, exact for every data type up to 2⁵³.</summary>
    public double[] ToDoubles()
    {
        var values = new double[Header.ValueCount];
        Convert(0, values.AsSpan());
        return values;
    }

    /// <summary>The image: true values as 32-bit floats on the header's geometry, one channel per dim[4].</summary>
    public Volume<float> ToImage()
    {
        var values = new float[Header.ValueCount];
        if (Header.DataType == NiftiDataType.Float32 && !Header.IsScaled)
        {
            MemoryMarshal.Cast<byte, float>(_data).CopyTo(values);
        }
        else
        {
            Convert(0, values.AsSpan());
        }
        return new Volume<float>(Header.Geometry, values, Header.Channels);
    }

    /// <summary>The label map: true values, which must be whole numbers from 0 to 65535, as class indices.</summary>
    /// <exception cref="MedSegException">A value is negative, fractional, too large or not a number; the message names the file and voxel.</exception>
    public Volume<ushort> ToLabels()
    {
        var labels = new ushort[Header.ValueCount];
        // Converted through a small buffer of doubles, so a large label map needs no second full-size array.
        var buffer = new double[Math.Min(labels.Length, 1 << 16)];
        for (int start = 0; start < labels.Length; start += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, Math.Min(buffer.Length, labels.Length - start));
            Convert(start, chunk);
            for (int i = 0; i < chunk.Length; i++)
            {
                double v = chunk[i];
                if (!(v >= 0 && v <= ushort.MaxValue && v == Math.Floor(v)))
                {
                    throw new MedSegException(
                        $"Label map {Path} has value {v} at voxel {VoxelText(start + i)}, but a label map holds whole class indices 0, 1, 2, ...; write the labels as integers.");
                }
                labels[start + i] = (ushort)v;
            }
        }
        return new Volume<ushort>(Header.Geometry, labels, Header.Channels);
    }

    /// <summary>"(x, y, z)" of flat value index <paramref name="index"/>, with the channel when there are several.</summary>
    private string VoxelText(long index)
    {
        var s = Header.Shape;
        long x = index % s.X, y = index / s.X % s.Y, z = index / ((long)s.X * s.Y) % s.Z, c = index / s.VoxelCount;
        return Header.Channels > 1 ? $"({x}, {y}, {z}) of channel {c}" : $"({x}, {y}, {z})";
    }

    /// <summary>Converts the stored values from index <paramref name="start"/> on into <paramref name="output"/>, scaled.</summary>
    private void Convert<TOut>(int start, Span<TOut> output) where TOut : INumberBase<TOut>
    {
        switch (Header.DataType)
        {
            case NiftiDataType.UInt8: Convert<byte, TOut>(start, output); break;
            case NiftiDataType.Int8: Convert<sbyte, TOut>(start, output); break;
            case NiftiDataType.Int16: Convert<short, TOut>(start, output); break;
            case NiftiDataType.UInt16: Convert<ushort, TOut>(start, output); break;
            case NiftiDataType.Int32: Convert<int, TOut>(start, output); break;
            case NiftiDataType.UInt32: Convert<uint, TOut>(start, output); break;
            case NiftiDataType.Int64: Convert<long, TOut>(start, output); break;
            case NiftiDataType.UInt64: Convert<ulong, TOut>(start, output); break;
            case NiftiDataType.Float32: Convert<float, TOut>(start, output); break;
            case NiftiDataType.Float64: Convert<double, TOut>(start, output); break;
            default: throw new InvalidOperationException($"Data type {Header.DataType} passed the header check but has no conversion.");
        }
    }

    private void Convert<TStored, TOut>(int start, Span<TOut> output) where TStored : unmanaged, INumberBase<TStored> where TOut : INumberBase<TOut>
    {
        ReadOnlySpan<TStored> stored = MemoryMarshal.Cast<byte, TStored>(_data).Slice(start, output.Length);
        if (!Header.IsScaled)
        {
            for (int i = 0; i < stored.Length; i++)
            {
                output[i] = TOut.CreateTruncating(stored[i]);
            }
            return;
        }
        double slope = Header.SclSlope, intercept = Header.Intercept;
        for (int i = 0; i < stored.Length; i++)
        {
            output[i] = TOut.CreateTruncating(double.CreateTruncating(stored[i]) * slope + intercept);
        }
    }
}
