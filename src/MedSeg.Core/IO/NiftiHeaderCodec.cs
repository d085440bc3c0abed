using System.Buffers.Binary;
using System.Text;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// Decodes NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers of either byte order, and encodes the NIfTI-1
/// header MedSeg writes. Field offsets are those of <c>nifti1.h</c> and <c>nifti2.h</c>.
/// </summary>
internal static class NiftiHeaderCodec
{
    public const int Nifti1Size = 348, Nifti2Size = 540;

    /// <summary>The voxel offset MedSeg writes: the 348-byte header and 4 bytes of (empty) extension flags.</summary>
    public const int WrittenVoxOffset = 352;

    /// <summary>The version (1 or 2) and byte order from the first four bytes, <c>sizeof_hdr</c>.</summary>
    public static (int Version, bool BigEndian) Detect(ReadOnlySpan<byte> sizeofHdr, string path)
    {
        int little = BinaryPrimitives.ReadInt32LittleEndian(sizeofHdr);
        int big = BinaryPrimitives.ReadInt32BigEndian(sizeofHdr);
        return (little, big) switch
        {
            (Nifti1Size, _) => (1, false),
            (Nifti2Size, _) => (2, false),
            (_, Nifti1Size) => (1, true),
            (_, Nifti2Size) => (2, true),
            _ => throw new MedSegException(
                $"{path} is not a NIfTI file: its first 4 bytes give a header size of {little}, not 348 (NIfTI-1) or 540 (NIfTI-2); check that it is a .nii or .nii.gz file and not damaged."),
        };
    }

    /// <summary>Decodes and checks a whole header (<see cref="Nifti1Size"/> or <see cref="Nifti2Size"/> bytes).</summary>
    /// <exception cref="MedSegException">Bad magic, dims, data type or offset; the message names the file.</exception>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, int version, bool bigEndian, string path)
    {
        var h = new Fields(bytes, bigEndian);
        bool v1 = version == 1;
        CheckMagic(bytes.Slice(v1 ? 344 : 4, v1 ? 4 : 8), version, path);

        var dim = new long[8];
        var pixdim = new double[8];
        for (int i = 0; i < 8; i++)
        {
            dim[i] = v1 ? h.Int16(40 + 2 * i) : h.Int64(16 + 8 * i);
            pixdim[i] = v1 ? h.Float32(76 + 4 * i) : h.Float64(104 + 8 * i);
        }
        var (shape, channels) = CheckDims(dim, path);
        var type = (NiftiDataType)h.Int16(v1 ? 70 : 12);
        if (NiftiTypes.Size(type) == 0)
        {
            throw new MedSegException(
                $"NIfTI file {path} has data type {NiftiTypes.Name(type)}, which MedSeg does not read; convert it to {NiftiTypes.Supported}.");
        }
        long voxOffset = v1 ? (long)Math.Floor(h.Float32(108)) : h.Int64(168);
        int headerSize = v1 ? Nifti1Size : Nifti2Size;
        if (voxOffset < headerSize)
        {
            throw new MedSegException(
                $"NIfTI file {path} has vox_offset {voxOffset}, inside its {headerSize}-byte header; the header is damaged (vox_offset is {headerSize + 4} for a plain file).");
        }
        long bytesNeeded = shape.VoxelCount * channels * NiftiTypes.Size(type);
        if (bytesNeeded > Array.MaxLength)
        {
            throw new MedSegException(
                $"NIfTI file {path} holds {shape} × {channels} voxels of {NiftiTypes.Name(type)} ({bytesNeeded} bytes), more than MedSeg reads at once ({Array.MaxLength} bytes); crop or split the volume.");
        }

        int qformCode = v1 ? h.Int16(252) : h.Int32(344);
        int sformCode = v1 ? h.Int16(254) : h.Int32(348);
        var q = new double[6]; // quatern_b, c, d, qoffset_x, y, z
        for (int i = 0; i < 6; i++)
        {
            q[i] = v1 ? h.Float32(256 + 4 * i) : h.Float64(352 + 8 * i);
        }
        var qform = NiftiQuaternion.ToAffine(q[0], q[1], q[2], pixdim[0], pixdim[1], pixdim[2], pixdim[3], q[3], q[4], q[5]);
        var srows = new double[12];
        for (int i = 0; i < 12; i++)
        {
            srows[i] = v1 ? h.Float32(280 + 4 * i) : h.Float64(400 + 8 * i);
        }
        var sform = Affine.FromRows(srows);
        var (affine, source) = sformCode > 0 ? (sform, NiftiAffineSource.SForm)
            : qformCode > 0 ? (qform, NiftiAffineSource.QForm)
            : (Affine.Diagonal(Positive(pixdim[1]), Positive(pixdim[2]), Positive(pixdim[3])), NiftiAffineSource.PixDim);
        double det = affine.Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new MedSegException(
                $"NIfTI file {path} has a singular or non-finite {(source == NiftiAffineSource.SForm ? "sform" : "qform")} affine {affine}; fix the transform or set its code to 0.");
        }

        return new NiftiHeader
        {
            Version = version,
            BigEndian = bigEndian,
            DataType = type,
            Shape = shape,
            Channels = channels,
            PixDim = pixdim,
            VoxOffset = voxOffset,
            SclSlope = v1 ? h.Float32(112) : h.Float64(176),
            SclInter = v1 ? h.Float32(116) : h.Float64(184),
            QFormCode = qformCode,
            SFormCode = sformCode,
            QForm = qform,
            SForm = sform,
            Affine = affine,
            AffineSource = source,
            Description = Text(bytes.Slice(v1 ? 148 : 240, 80)),
        };
    }

    /// <summary>
    /// A NIfTI-1 header plus four zero extension bytes (<see cref="WrittenVoxOffset"/> bytes, little-endian) for
    /// <paramref name="channels"/> volumes of <paramref name="geometry"/>: the affine in the sform and, as the
    /// nearest qform, in the quaternion (both with code 1, scanner anatomy); units mm and s; no scaling.
    /// </summary>
    public static byte[] Encode(VolumeGeometry geometry, int channels, NiftiDataType type)
    {
        var bytes = new byte[WrittenVoxOffset];
        var span = bytes.AsSpan();
        void Int16(int offset, int value) => BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(offset), checked((short)value));
        void Float32(int offset, double value) => BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), (float)value);

        BinaryPrimitives.WriteInt32LittleEndian(span, Nifti1Size);
        bytes[38] = (byte)'r';
        var shape = geometry.Shape;
        int[] dims = channels > 1 ? [4, shape.X, shape.Y, shape.Z, channels, 1, 1, 1] : [3, shape.X, shape.Y, shape.Z, 1, 1, 1, 1];
        for (int i = 0; i < 8; i++)
        {
            Int16(40 + 2 * i, dims[i]);
        }
        Int16(70, (short)type);
        Int16(72, 8 * NiftiTypes.Size(type));
        var affine = geometry.Affine;
        var (b, c, d, qfac, dx, dy, dz) = NiftiQuaternion.FromAffine(affine);
        double[] pixdim = [qfac, dx, dy, dz, 1, 1, 1, 1];
        for (int i = 0; i < 8; i++)
        {
            Float32(76 + 4 * i, pixdim[i]);
        }
        Float32(108, WrittenVoxOffset);
        Float32(112, 1);
        Float32(116, 0);
        bytes[123] = 2 | 8; // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
        Encoding.ASCII.GetBytes("MedSeg", span.Slice(148, 80));
        Int16(252, 1);
        Int16(254, 1);
        double[] quaternion = [b, c, d, affine[0, 3], affine[1, 3], affine[2, 3]];
        for (int i = 0; i < 6; i++)
        {
            Float32(256 + 4 * i, quaternion[i]);
        }
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 4; col++)
            {
                Float32(280 + 16 * row + 4 * col, affine[row, col]);
            }
        }
        "n+1\0"u8.CopyTo(span[344..]);
        return bytes;
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic, int version, string path)
    {
        if (version == 1 ? magic.SequenceEqual("n+1\0"u8) : magic.SequenceEqual("n+2\0\r\n\u001a\n"u8))
        {
            return;
        }
        if (magic[..3].SequenceEqual(version == 1 ? "ni1"u8 : "ni2"u8))
        {
            throw new MedSegException(
                $"{path} is the header of a .hdr/.img pair (magic 'ni{version}'); MedSeg reads single-file NIfTI, so convert the pair to .nii or .nii.gz.");
        }
        throw new MedSegException(
            $"{path} has a NIfTI-{version} header size but not the magic 'n+{version}' ({Printable(magic)}); the file is damaged or not NIfTI.");
    }

    private static (VolumeShape Shape, int Channels) CheckDims(long[] dim, string path)
    {
        long rank = dim[0];
        if (rank < 1 || rank > 7)
        {
            throw new MedSegException(
                $"NIfTI file {path} has dim[0] = {rank} but the number of dimensions must be 1 to 7; the header is damaged or byte-swapped.");
        }
        var sizes = new int[7];
        for (int i = 1; i <= 7; i++)
        {
            long size = i <= rank ? dim[i] : 1;
            if (size < 1 || size > int.MaxValue)
            {
                throw new MedSegException($"NIfTI file {path} has dim[{i}] = {size}, but every used dimension must be at least 1; the header is damaged.");
            }
            sizes[i - 1] = (int)size;
        }
        if (sizes[4] > 1 || sizes[5] > 1 || sizes[6] > 1)
        {
            throw new MedSegException(
                $"NIfTI file {path} has {rank} dimensions ({string.Join('×', sizes.Take((int)rank))}); MedSeg reads 3-D volumes with an optional 4th (channel) dimension, so split the file.");
        }
        return (new VolumeShape(sizes[0], sizes[1], sizes[2]), sizes[3]);
    }

    private static double Positive(double size) => size > 0 && double.IsFinite(size) ? size : 1;

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    private static string Printable(ReadOnlySpan<byte> bytes) => string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2")));

    /// <summary>Reads header fields of either byte order.</summary>
    private readonly ref struct Fields(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public short Int16(int offset) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(_bytes[offset..]) : BinaryPrimitives.ReadInt16LittleEndian(_bytes[offset..]);

        public int Int32(int offset) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(_bytes[offset..]) : BinaryPrimitives.ReadInt32LittleEndian(_bytes[offset..]);

        public long Int64(int offset) => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(_bytes[offset..]) : BinaryPrimitives.ReadInt64LittleEndian(_bytes[offset..]);

        public double Float32(int offset) => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(_bytes[offset..]) : BinaryPrimitives.ReadSingleLittleEndian(_bytes[offset..]);

        public double Float64(int offset) => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_bytes[offset..]) : BinaryPrimitives.ReadDoubleLittleEndian(_bytes[offset..]);
    }
}
