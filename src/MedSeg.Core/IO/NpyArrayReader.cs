using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedSeg.Core.IO;

/// <summary>
/// Reads a NumPy <c>.npy</c> array (format 1.0, C order, <c>&lt;f2</c> or <c>&lt;f4</c>) as float32 values in
/// file order, a span at a time, so a large array can be consumed in pieces (a slice, a class) in bounded memory.
/// Every error names the file.
/// </summary>
public sealed partial class NpyArrayReader : IDisposable
{
    // Bytes decoded per read from the file.
    private const int ChunkBytes = 1 << 16;

    private readonly FileStream _stream;
    private readonly int _valueSize;
    private long _remaining;

    private NpyArrayReader(string path, FileStream stream, int[] shape, int valueSize)
    {
        Path = path;
        _stream = stream;
        Shape = shape;
        _valueSize = valueSize;
        _remaining = shape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The array's shape, outermost axis first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Opens <paramref name="path"/> and reads its header, checking the data length against the shape.</summary>
    /// <exception cref="MedSegException">The file is unreadable, not a C-order float16/float32 .npy, or truncated.</exception>
    public static NpyArrayReader Open(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"cannot read {path} ({e.Message}).", e);
        }
        try
        {
            return ReadHeader(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next <c>values.Length</c> values of the array (in C order) into <paramref name="values"/>.</summary>
    /// <exception cref="MedSegException">Fewer values are left in the array, or the file cannot be read.</exception>
    public void Read(Span<float> values)
    {
        if (values.Length > _remaining)
        {
            throw new MedSegException($"{Path}: asked for {values.Length} more values but only {_remaining} are left.");
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int perChunk = ChunkBytes / _valueSize;
            for (int done = 0; done < values.Length; done += perChunk)
            {
                int count = Math.Min(perChunk, values.Length - done);
                Span<byte> bytes = chunk.AsSpan(0, count * _valueSize);
                try
                {
                    _stream.ReadExactly(bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new MedSegException($"cannot read {Path} ({e.Message}).", e);
                }
                Decode(bytes, values.Slice(done, count));
            }
            _remaining -= values.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private void Decode(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (_valueSize == 2)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(i * 2, 2));
            }
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
        }
    }

    private static NpyArrayReader ReadHeader(string path, FileStream stream)
    {
        Span<byte> preamble = stackalloc byte[10];
        if (stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false) < preamble.Length
            || !preamble[..6].SequenceEqual(NpyFile.Magic) || preamble[6] != 1)
        {
            throw new MedSegException($"{path} is not a NumPy .npy file (format 1.0); write it with numpy.save.");
        }
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw new MedSegException($"{path} is truncated inside its header.");
        }
        string header = Encoding.ASCII.GetString(headerBytes);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["fortran"].Value != "False")
        {
            throw new MedSegException($"{path}: only C-order '<f2' or '<f4' arrays are supported (header: {header.Trim()}).");
        }
        string[] dims = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int size = match.Groups["descr"].Value == "<f2" ? 2 : 4;
        long data = stream.Length - 10 - headerLength;
        var shape = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            // A size past what the file holds stops the product before it can overflow.
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || (shape[i] > 0 && count > data / shape[i]))
            {
                throw new MedSegException($"{path} has shape ({match.Groups["shape"].Value}), which is not the array sizes of its {data} data bytes; the file is truncated or corrupt.");
            }
            count *= shape[i];
        }
        if (data != count * size)
        {
            throw new MedSegException($"{path} holds {data} data bytes but its shape needs {count * size}; the file is truncated or corrupt.");
        }
        return new NpyArrayReader(path, stream, shape, size);
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr><f[24])',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[0-9,\s]*)\)")]
    private static partial Regex HeaderPattern();
}
