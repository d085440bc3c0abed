using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// Reads NIfTI-1 and NIfTI-2 files (<c>.nii</c>, or gzip-compressed <c>.nii.gz</c>, recognised by content), either
/// byte order, data types uint8 to float64; writes NIfTI-1 little-endian with the affine in both sform and qform.
/// Every problem with a file is a <see cref="MedSegException"/> naming it.
/// </summary>
public static class Nifti
{
    /// <summary>Reads the header and voxel data of <paramref name="path"/>.</summary>
    /// <exception cref="MedSegException">The file is missing, truncated, corrupt, not NIfTI, or of an unsupported type, or its size disagrees with its dims.</exception>
    public static NiftiVolume Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Guard(path, () =>
        {
            using var stream = Open(path);
            var header = ReadHeader(stream, path);
            Skip(stream, header.VoxOffset - HeaderSize(header), path, header);
            long count = header.ValueCount * NiftiTypes.Size(header.DataType);
            CheckCanHold(path, header, count, new FileInfo(path).Length, stream is GZipStream);
            var data = GC.AllocateUninitializedArray<byte>((int)count);
            int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (read < data.Length)
            {
                throw new MedSegException(
                    $"NIfTI file {path} is truncated: its header describes {Describe(header)} ({count} bytes from offset {header.VoxOffset}) but only {read} bytes follow; replace the file or correct the dims in its header.");
            }
            if (stream.ReadByte() >= 0)
            {
                throw new MedSegException(
                    $"NIfTI file {path} has more voxel data than its header describes ({Describe(header)}, {count} bytes from offset {header.VoxOffset}); the dims or data type in the header are wrong, or the file is damaged.");
            }
            if (header.BigEndian)
            {
                SwapBytes(data, NiftiTypes.Size(header.DataType));
            }
            return new NiftiVolume(path, header, data);
        });
    }

    /// <summary>Reads only the header of <paramref name="path"/> (for a .nii.gz, only its first bytes are decompressed).</summary>
    /// <exception cref="MedSegException">The file is missing, truncated, corrupt or not a supported NIfTI file.</exception>
    public static NiftiHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Guard(path, () =>
        {
            using var stream = Open(path);
            return ReadHeader(stream, path);
        });
    }

    /// <summary>Reads an image: true (scaled) values as floats, on the file's geometry.</summary>
    /// <exception cref="MedSegException">See <see cref="Read"/>.</exception>
    public static Volume<float> ReadImage(string path) => Read(path).ToImage();

    /// <summary>Reads a label map: true values, which must be whole numbers 0 to 65535.</summary>
    /// <exception cref="MedSegException">See <see cref="Read"/>; also a value that is not a class index.</exception>
    public static Volume<ushort> ReadLabels(string path) => Read(path).ToLabels();

    /// <summary>Writes an image as float32.</summary>
    public static void WriteImage(string path, Volume<float> image) => Write(path, image);

    /// <summary>Writes a label map as uint8 when every value is at most 255, else int16 (at most 32767), else uint16.</summary>
    public static void WriteLabels(string path, Volume<ushort> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ushort max = 0;
        foreach (ushort value in labels.Voxels)
        {
            max = Math.Max(max, value);
        }
        if (max <= byte.MaxValue)
        {
            Write(path, Narrow(labels, v => (byte)v));
        }
        else if (max <= short.MaxValue)
        {
            Write(path, Narrow(labels, v => (short)v));
        }
        else
        {
            Write(path, labels);
        }
    }

    /// <summary>
    /// Writes <paramref name="volume"/> as a NIfTI-1 file (gzip-compressed when <paramref name="path"/> ends in .gz)
    /// with the data type of <typeparamref name="T"/> (byte → uint8, sbyte → int8, short → int16, ushort → uint16,
    /// int → int32, float → float32, double → float64, ...), vox_offset 352, no scaling, the affine as sform and
    /// qform (codes 1). Written to a temporary file and renamed, so an existing file is replaced whole or not at all.
    /// </summary>
    /// <exception cref="MedSegException">The name does not end in .nii or .nii.gz, or a dimension exceeds NIfTI-1's 32767.</exception>
    public static void Write<T>(string path, Volume<T> volume) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(volume);
        bool gzip = path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);
        if (!gzip && !path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase))
        {
            throw new MedSegException($"Cannot write {path}: a NIfTI file name must end in .nii or .nii.gz; change the output name.");
        }
        var shape = volume.Shape;
        if (Math.Max(Math.Max(shape.X, shape.Y), Math.Max(shape.Z, volume.Channels)) > short.MaxValue)
        {
            throw new MedSegException($"Cannot write {path}: the {shape} volume has a dimension over 32767, which NIfTI-1 cannot store; crop or split it.");
        }
        byte[] header = NiftiHeaderCodec.Encode(volume.Geometry, volume.Channels, NiftiTypes.Of<T>());
        AtomicFile.Write(path, temp =>
        {
            using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
            output.Write(header);
            output.Write(MemoryMarshal.AsBytes(volume.Voxels.AsSpan()));
        });
    }

    private static Volume<TNarrow> Narrow<TNarrow>(Volume<ushort> labels, Func<ushort, TNarrow> narrow) where TNarrow : unmanaged
    {
        var values = new TNarrow[labels.Voxels.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = narrow(labels.Voxels[i]);
        }
        return new Volume<TNarrow>(labels.Geometry, values, labels.Channels);
    }

    /// <summary>Opens the file, unwrapping gzip when it starts with the gzip magic bytes 1f 8b.</summary>
    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static NiftiHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> bytes = stackalloc byte[NiftiHeaderCodec.Nifti2Size];
        int read = stream.ReadAtLeast(bytes[..4], 4, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw Truncated(path, read, 4);
        }
        var (version, bigEndian) = NiftiHeaderCodec.Detect(bytes, path);
        int size = version == 1 ? NiftiHeaderCodec.Nifti1Size : NiftiHeaderCodec.Nifti2Size;
        read = 4 + stream.ReadAtLeast(bytes[4..size], size - 4, throwOnEndOfStream: false);
        if (read < size)
        {
            throw Truncated(path, read, size);
        }
        return NiftiHeaderCodec.Parse(bytes[..size], version, bigEndian, path);
    }

    /// <summary>Refuses a header that claims more voxel data than the file can hold, before anything is allocated for it.</summary>
    private static void CheckCanHold(string path, NiftiHeader header, long count, long fileBytes, bool gzip)
    {
        if (gzip && !DeflateLimit.CanHold(fileBytes, header.VoxOffset + count))
        {
            throw new MedSegException(
                $"NIfTI file {path} is damaged: its header describes {Describe(header)} ({count} bytes) but its {fileBytes} gzip-compressed bytes cannot hold that much; replace the file or correct the dims in its header.");
        }
        if (!gzip && fileBytes - header.VoxOffset < count)
        {
            throw new MedSegException(
                $"NIfTI file {path} is truncated: its header describes {Describe(header)} ({count} bytes from offset {header.VoxOffset}) but only {Math.Max(0, fileBytes - header.VoxOffset)} bytes follow; replace the file or correct the dims in its header.");
        }
    }

    private static MedSegException Truncated(string path, int read, int size) => new(
        $"NIfTI file {path} is truncated: it ends after {read} bytes, inside its {(size == 4 ? "" : $"{size}-byte ")}header; replace it with a complete file.");

    /// <summary>Skips the extensions between the header and the voxel data.</summary>
    private static void Skip(Stream stream, long count, string path, NiftiHeader header)
    {
        var buffer = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read == 0)
            {
                throw new MedSegException(
                    $"NIfTI file {path} is truncated: it ends before its voxel data, which its header puts at byte {header.VoxOffset}; replace it with a complete file.");
            }
            count -= read;
        }
    }

    private static int HeaderSize(NiftiHeader header) => header.Version == 1 ? NiftiHeaderCodec.Nifti1Size : NiftiHeaderCodec.Nifti2Size;

    private static string Describe(NiftiHeader header) =>
        $"{header.Shape}{(header.Channels > 1 ? $"×{header.Channels}" : "")} voxels of {NiftiTypes.Name(header.DataType)}";

    private static void SwapBytes(byte[] data, int size)
    {
        switch (size)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    /// <summary>Runs a read, turning I/O and gzip failures into one-sentence errors that name the file.</summary>
    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new MedSegException($"NIfTI file {path} is not valid gzip data ({e.Message}); the .nii.gz is damaged, so replace it.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"Cannot read NIfTI file {path} ({e.Message}); check that the file exists and is readable.", e);
        }
    }
}
