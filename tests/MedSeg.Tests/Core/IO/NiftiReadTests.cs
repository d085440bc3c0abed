using System.Buffers.Binary;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.IO;

/// <summary>NIfTI files written byte by byte in the test, with hand-computed affines, spacings and values.</summary>
public class NiftiReadTests
{
    private static readonly short[] Twelve = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Fact]
    public void Qform_quaternion_gives_the_hand_computed_affine()
    {
        using var folder = new TempFolder();
        // 90° about z: (a, b, c, d) = (cos 45°, 0, 0, sin 45°) turns i into +y and j into −x; qfac −1 flips k.
        var builder = new NiftiFileBuilder
        {
            PixDim = [-1, 2, 3, 4, 0, 0, 0, 0],
            QFormCode = 1,
            Quaternion = [0, 0, Math.Sqrt(0.5), 10, 20, 30],
        };
        string path = Write(folder, "q.nii", builder, Twelve);

        var header = Nifti.ReadHeader(path);

        Assert.Equal(NiftiAffineSource.QForm, header.AffineSource);
        AssertAffine([0, -3, 0, 10, 2, 0, 0, 20, 0, 0, -4, 30], header.Affine, 1e-6);
        Assert.Equal(2, header.Affine.Spacing.X, 6);
        Assert.Equal(3, header.Affine.Spacing.Y, 6);
        Assert.Equal(4, header.Affine.Spacing.Z, 6);
        Assert.Equal("ALI", Reorientation.AxisCodes(header.Affine));
    }

    [Fact]
    public void Quaternion_of_a_half_turn_about_x_has_a_zero_real_part()
    {
        using var folder = new TempFolder();
        // b = 1 gives a = 0: y and z flip.
        var builder = new NiftiFileBuilder { PixDim = [1, 1.5, 1.5, 3, 0, 0, 0, 0], QFormCode = 2, Quaternion = [1, 0, 0, -10, 5, 7] };
        string path = Write(folder, "half.nii", builder, Twelve);

        AssertAffine([1.5, 0, 0, -10, 0, -1.5, 0, 5, 0, 0, -3, 7], Nifti.ReadHeader(path).Affine, 1e-9);
    }

    [Fact]
    public void Sform_is_preferred_when_its_code_is_set()
    {
        using var folder = new TempFolder();
        double[] srows = [0.5, 0.1, 0, 1, 0, 2, 0, 2, 0, 0, 3, 3];
        var builder = new NiftiFileBuilder
        {
            PixDim = [1, 7, 7, 7, 0, 0, 0, 0],
            QFormCode = 1,
            Quaternion = [1, 0, 0, 0, 0, 0],
            SFormCode = 2,
            SRows = srows,
        };
        string path = Write(folder, "s.nii", builder, Twelve);

        var header = Nifti.ReadHeader(path);

        Assert.Equal(NiftiAffineSource.SForm, header.AffineSource);
        AssertAffine(srows, header.Affine, 1e-7);
        // Spacing comes from the affine used, not from pixdim.
        Assert.Equal(0.5, header.Affine.Spacing.X, 6);
        Assert.Equal(Math.Sqrt(0.01 + 4), header.Affine.Spacing.Y, 6);
        AssertAffine([7, 0, 0, 0, 0, -7, 0, 0, 0, 0, -7, 0], header.QForm, 1e-6);
    }

    [Fact]
    public void Without_qform_or_sform_the_affine_is_pixdim_alone()
    {
        using var folder = new TempFolder();
        var builder = new NiftiFileBuilder { PixDim = [1, 0.8, 0.9, 2.5, 0, 0, 0, 0], SRows = [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9] };
        string path = Write(folder, "plain.nii", builder, Twelve);

        var image = Nifti.ReadImage(path);

        AssertAffine([0.8, 0, 0, 0, 0, 0.9, 0, 0, 0, 0, 2.5, 0], image.Affine, 1e-6);
        Assert.Equal(new VolumeShape(3, 2, 2), image.Shape);
    }

    [Fact]
    public void Voxels_are_x_fastest()
    {
        using var folder = new TempFolder();
        string path = Write(folder, "order.nii", new NiftiFileBuilder(), Twelve);

        var image = Nifti.ReadImage(path);

        Assert.Equal(11f, image[2, 1, 1]);
        Assert.Equal(7f, image[1, 0, 1]);
        Assert.Equal(3f, image[0, 1, 0]);
    }

    [Fact]
    public void Scl_slope_and_inter_are_applied_and_slope_zero_means_none()
    {
        using var folder = new TempFolder();
        short[] stored = [0, 1, -2, 100, 0, 0, 0, 0, 0, 0, 0, 7];
        string scaled = Write(folder, "scaled.nii", new NiftiFileBuilder { SclSlope = 0.5, SclInter = 10 }, stored);
        string unscaled = Write(folder, "unscaled.nii", new NiftiFileBuilder { SclSlope = 0, SclInter = 10 }, stored);

        var image = Nifti.ReadImage(scaled);

        Assert.Equal([10f, 10.5f, 9f, 60f], image.Voxels[..4]);
        Assert.Equal(13.5f, image.Voxels[11]);
        Assert.Equal(stored.Select(v => (float)v), Nifti.ReadImage(unscaled).Voxels);
        var error = Assert.Throws<MedSegException>(() => Nifti.ReadLabels(scaled));
        Assert.Contains(scaled, error.Message);
        Assert.Contains("10.5", error.Message);
        Assert.Contains("(1, 0, 0)", error.Message);
    }

    [Fact]
    public void Big_endian_header_and_data_are_read()
    {
        using var folder = new TempFolder();
        var builder = new NiftiFileBuilder
        {
            BigEndian = true,
            PixDim = [1, 1.5, 2, 3, 0, 0, 0, 0],
            SFormCode = 1,
            SRows = [-1.5, 0, 0, 50, 0, 2, 0, -20, 0, 0, 3, 0],
            SclSlope = 2,
            SclInter = 1,
        };
        string path = Write(folder, "big.nii", builder, [1, -1, 300, -300, 32767, -32768, 0, 2, 3, 4, 5, 6], bigEndian: true);

        var volume = Nifti.Read(path);

        Assert.True(volume.Header.BigEndian);
        Assert.Equal(new VolumeShape(3, 2, 2), volume.Header.Shape);
        AssertAffine([-1.5, 0, 0, 50, 0, 2, 0, -20, 0, 0, 3, 0], volume.Header.Affine, 1e-9);
        Assert.Equal([3.0, -1, 601, -599, 65535, -65535, 1, 5, 7, 9, 11, 13], volume.ToDoubles());
    }

    [Fact]
    public void Big_endian_floats_are_read()
    {
        using var folder = new TempFolder();
        var data = new byte[12 * 4];
        float[] values = [0.5f, -1.25f, 3e10f, float.Epsilon, 0, 1, 2, 3, 4, 5, 6, -7.75f];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4 * i), values[i]);
        }
        string path = folder.Combine("bigfloat.nii");
        File.WriteAllBytes(path, new NiftiFileBuilder { BigEndian = true, DataType = 16 }.Build(data));

        Assert.Equal(values, Nifti.ReadImage(path).Voxels);
    }

    [Fact]
    public void Nifti2_file_built_byte_by_byte_is_read()
    {
        using var folder = new TempFolder();
        var data = new byte[2 * 3 * 8];
        double[] values = [0.1, -2.5, 1e300, 4, 5, 6];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), values[i]);
        }
        var builder = new NiftiFileBuilder
        {
            Version = 2,
            DataType = 64,
            Dim = [3, 2, 3, 1, 1, 1, 1, 1],
            PixDim = [1, 0.7, 0.7, 5, 0, 0, 0, 0],
            SFormCode = 1,
            SRows = [0, 0.7, 0, -12.25, 0.7, 0, 0, 8.5, 0, 0, 5, 100.125],
            Gap = 4,
        };
        string path = folder.Combine("two.nii.gz");
        File.WriteAllBytes(path, NiftiFileBuilder.Gzip(builder.Build(data)));

        var volume = Nifti.Read(path);

        Assert.Equal(2, volume.Header.Version);
        Assert.Equal(NiftiDataType.Float64, volume.Header.DataType);
        Assert.Equal(new VolumeShape(2, 3, 1), volume.Header.Shape);
        AssertAffine([0, 0.7, 0, -12.25, 0.7, 0, 0, 8.5, 0, 0, 5, 100.125], volume.Header.Affine, 0);
        Assert.Equal(values, volume.ToDoubles());
    }

    [Fact]
    public void Nifti2_big_endian_with_qform_and_extension_bytes_is_read()
    {
        using var folder = new TempFolder();
        var builder = new NiftiFileBuilder
        {
            Version = 2,
            BigEndian = true,
            PixDim = [1, 2, 2, 2, 0, 0, 0, 0],
            QFormCode = 1,
            Quaternion = [0, 1, 0, 1, 2, 3],
            Gap = 20,
        };
        string path = Write(folder, "two-big.nii", builder, Twelve, bigEndian: true);

        var volume = Nifti.Read(path);

        // b = 0, c = 1: a half turn about y flips x and z.
        AssertAffine([-2, 0, 0, 1, 0, 2, 0, 2, 0, 0, -2, 3], volume.Header.Affine, 1e-12);
        Assert.Equal(Twelve.Select(v => (double)v), volume.ToDoubles());
    }

    [Fact]
    public void Four_dimensional_file_gives_channels()
    {
        using var folder = new TempFolder();
        var builder = new NiftiFileBuilder { Dim = [4, 3, 2, 1, 2, 1, 1, 1] };
        string path = Write(folder, "4d.nii", builder, Twelve);

        var image = Nifti.ReadImage(path);

        Assert.Equal(2, image.Channels);
        Assert.Equal(new VolumeShape(3, 2, 1), image.Shape);
        Assert.Equal(6f, image[0, 0, 0, 1]);
    }

    [Fact]
    public void Gzip_and_plain_files_read_the_same()
    {
        using var folder = new TempFolder();
        var builder = new NiftiFileBuilder { PixDim = [1, 1.5, 1.5, 3, 0, 0, 0, 0] };
        byte[] bytes = builder.Build(NiftiFileBuilder.Int16Data(false, Twelve));
        string plain = folder.Combine("a.nii"), gz = folder.Combine("a.nii.gz");
        File.WriteAllBytes(plain, bytes);
        File.WriteAllBytes(gz, NiftiFileBuilder.Gzip(bytes));

        Assert.Equal(Nifti.ReadImage(plain).Voxels, Nifti.ReadImage(gz).Voxels);
        Assert.Equal(Nifti.ReadHeader(plain).Affine.ToRows(), Nifti.ReadHeader(gz).Affine.ToRows());
    }

    internal static string Write(TempFolder folder, string name, NiftiFileBuilder builder, short[] values, bool bigEndian = false)
    {
        string path = folder.Combine(name);
        File.WriteAllBytes(path, builder.Build(NiftiFileBuilder.Int16Data(bigEndian, values)));
        return path;
    }

    internal static void AssertAffine(double[] expectedRows, Affine actual, double tolerance)
    {
        double[] rows = actual.ToRows();
        for (int i = 0; i < 12; i++)
        {
            Assert.True(Math.Abs(expectedRows[i] - rows[i]) <= tolerance, $"affine entry {i}: expected {expectedRows[i]}, got {rows[i]} (affine {actual})");
        }
    }
}
