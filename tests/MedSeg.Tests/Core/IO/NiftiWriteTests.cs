using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.IO;

public class NiftiWriteTests
{
    /// <summary>An oblique, left-handed grid (LAS): 1.5 × 1.2 × 3 mm, rotated 20° about z, origin away from 0.</summary>
    private static readonly VolumeGeometry Oblique = new(
        new VolumeShape(3, 2, 2),
        Affine.FromRows([-1.5 * Math.Cos(0.349), -1.2 * Math.Sin(0.349), 0, 101.5, -1.5 * Math.Sin(0.349), 1.2 * Math.Cos(0.349), 0, -37.25, 0, 0, 3, 12]));

    [Theory]
    [InlineData(".nii")]
    [InlineData(".nii.gz")]
    public void Every_data_type_round_trips_exactly(string ending)
    {
        using var folder = new TempFolder();
        RoundTrip<byte>(folder, ending, NiftiDataType.UInt8, [0, 1, 127, 128, 200, 254, 255, 3, 4, 5, 6, 7]);
        RoundTrip<sbyte>(folder, ending, NiftiDataType.Int8, [-128, -1, 0, 1, 127, 5, 6, 7, 8, 9, 10, 11]);
        RoundTrip<short>(folder, ending, NiftiDataType.Int16, [-32768, -1, 0, 1, 255, 256, 4095, 32767, 8, 9, 10, 11]);
        RoundTrip<ushort>(folder, ending, NiftiDataType.UInt16, [0, 1, 255, 256, 4095, 32768, 65535, 7, 8, 9, 10, 11]);
        RoundTrip<int>(folder, ending, NiftiDataType.Int32, [int.MinValue, -1, 0, 1, 1 << 24, (1 << 24) + 1, int.MaxValue, 7, 8, 9, 10, 11]);
        RoundTrip<float>(folder, ending, NiftiDataType.Float32, [-1.5f, 0, 1e-30f, float.MaxValue, float.Epsilon, 3.25f, -0f, 7, 8, 9, 10, 11]);
        RoundTrip<double>(folder, ending, NiftiDataType.Float64, [Math.PI, -1e300, double.Epsilon, 0.1, 4, 5, 6, 7, 8, 9, 10, 11]);
    }

    [Fact]
    public void Written_header_holds_the_affine_in_sform_and_qform_with_offset_352_and_magic_n_plus_1()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("image.nii");
        Nifti.WriteImage(path, new Volume<float>(Oblique));

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(348, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        Assert.Equal(352f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(108)));
        Assert.Equal("n+1\0"u8.ToArray(), bytes[344..348]);
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(70)));
        Assert.Equal(352 + 12 * 4, bytes.Length);
        var header = Nifti.ReadHeader(path);
        Assert.Equal((1, 1), (header.QFormCode, header.SFormCode));
        Assert.True(header.SForm.MaxDifference(Oblique.Affine) < 1e-5, header.SForm.ToString());
        Assert.True(header.QForm.MaxDifference(Oblique.Affine) < 1e-5, header.QForm.ToString());
        Assert.Equal(-1.0, header.PixDim[0]);
        Assert.Equal(1.5, header.PixDim[1], 6);
        Assert.Equal(1.2, header.PixDim[2], 6);
        Assert.Equal(3.0, header.PixDim[3], 6);
    }

    [Theory]
    [InlineData(3, NiftiDataType.UInt8)]
    [InlineData(255, NiftiDataType.UInt8)]
    [InlineData(300, NiftiDataType.Int16)]
    [InlineData(40000, NiftiDataType.UInt16)]
    public void Label_maps_are_written_in_the_smallest_type_that_holds_them(int max, NiftiDataType expected)
    {
        using var folder = new TempFolder();
        string path = folder.Combine("labels.nii.gz");
        var labels = new Volume<ushort>(Oblique, [0, 1, 2, (ushort)max, 0, 0, 0, 0, 0, 0, 0, 1]);

        Nifti.WriteLabels(path, labels);

        var read = Nifti.Read(path);
        Assert.Equal(expected, read.Header.DataType);
        Assert.Equal(labels.Voxels, read.ToLabels().Voxels);
        Assert.True(read.Header.Affine.MaxDifference(Oblique.Affine) < 1e-5);
    }

    [Fact]
    public void Gz_file_is_gzip_and_plain_file_is_not()
    {
        using var folder = new TempFolder();
        var image = new Volume<float>(Oblique, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        Nifti.WriteImage(folder.Combine("a.nii.gz"), image);
        Nifti.WriteImage(folder.Combine("a.nii"), image);

        using var gzip = new GZipStream(File.OpenRead(folder.Combine("a.nii.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        Assert.Equal(File.ReadAllBytes(folder.Combine("a.nii")), memory.ToArray());
        Assert.Equal(["a.nii", "a.nii.gz"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Channels_are_written_as_the_fourth_dimension()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("two.nii");
        var image = new Volume<float>(Oblique, Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), channels: 2);

        Nifti.WriteImage(path, image);

        var read = Nifti.ReadImage(path);
        Assert.Equal(2, read.Channels);
        Assert.Equal(image.Voxels, read.Voxels);
    }

    private static void RoundTrip<T>(TempFolder folder, string ending, NiftiDataType type, T[] values) where T : unmanaged, INumberBase<T>
    {
        string path = folder.Combine(typeof(T).Name + ending);
        Nifti.Write(path, new Volume<T>(Oblique, values));

        var read = Nifti.Read(path);

        Assert.Equal(type, read.Header.DataType);
        Assert.Equal(values.Select(double.CreateTruncating), read.ToDoubles());
        Assert.True(read.Header.Affine.MaxDifference(Oblique.Affine) < 1e-5);
    }
}
