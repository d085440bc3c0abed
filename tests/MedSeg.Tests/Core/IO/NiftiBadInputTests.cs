using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.IO;

/// <summary>Every damaged or unsupported NIfTI file gives one <see cref="MedSegException"/> naming the file.</summary>
public class NiftiBadInputTests
{
    private static readonly short[] Twelve = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    public static TheoryData<string, string> Cases => new()
    {
        { "empty", "truncated" },
        { "truncated-header", "truncated" },
        { "truncated-data", "truncated" },
        { "extra-data", "more voxel data" },
        { "truncated-gzip", "" },
        { "corrupt-gzip", "gzip" },
        { "bad-header-size", "not a NIfTI file" },
        { "bad-magic", "magic" },
        { "hdr-img-pair", ".hdr/.img" },
        { "rgb24", "RGB24" },
        { "dim0-zero", "dim[0]" },
        { "dim-zero", "dim[2]" },
        { "five-d", "5 dimensions" },
        { "offset-inside-header", "vox_offset" },
        { "zero-sform", "singular" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Damaged_file_is_one_clear_error_naming_it(string name, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Combine(name + ".nii");
        File.WriteAllBytes(path, Bytes(name));

        var error = Assert.Throws<MedSegException>(() => Nifti.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("nope.nii.gz");
        var error = Assert.Throws<MedSegException>(() => Nifti.ReadHeader(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Writing_needs_a_nifti_file_name()
    {
        using var folder = new TempFolder();
        var volume = new Volume<float>(new VolumeGeometry(new VolumeShape(1, 1, 1), Affine.Identity));
        var error = Assert.Throws<MedSegException>(() => Nifti.WriteImage(folder.Combine("image.png"), volume));
        Assert.Contains(".nii.gz", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    private static byte[] Bytes(string name)
    {
        byte[] valid = new NiftiFileBuilder().Build(NiftiFileBuilder.Int16Data(false, Twelve));
        return name switch
        {
            "empty" => [],
            "truncated-header" => valid[..200],
            "truncated-data" => valid[..^3],
            "extra-data" => [.. valid, 0, 0],
            "truncated-gzip" => NiftiFileBuilder.Gzip(valid)[..40],
            // A gzip member whose deflate block has the reserved type 3.
            "corrupt-gzip" => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0],
            "bad-header-size" => [.. BitConverter.GetBytes(1234), .. valid[4..]],
            "bad-magic" => new NiftiFileBuilder { Magic = "abc\0" }.Build(NiftiFileBuilder.Int16Data(false, Twelve)),
            "hdr-img-pair" => new NiftiFileBuilder { Magic = "ni1\0" }.Build([]),
            "rgb24" => new NiftiFileBuilder { DataType = 128 }.Build(new byte[36]),
            "dim0-zero" => new NiftiFileBuilder { Dim = [0, 3, 2, 2, 1, 1, 1, 1] }.Build(NiftiFileBuilder.Int16Data(false, Twelve)),
            "dim-zero" => new NiftiFileBuilder { Dim = [3, 3, 0, 2, 1, 1, 1, 1] }.Build([]),
            "five-d" => new NiftiFileBuilder { Dim = [5, 3, 2, 2, 1, 2, 1, 1] }.Build(NiftiFileBuilder.Int16Data(false, [.. Twelve, .. Twelve])),
            "offset-inside-header" => WithVoxOffset(valid, 100),
            "zero-sform" => new NiftiFileBuilder { SFormCode = 1 }.Build(NiftiFileBuilder.Int16Data(false, Twelve)),
            _ => throw new ArgumentException(name),
        };
    }

    private static byte[] WithVoxOffset(byte[] valid, float offset)
    {
        var bytes = (byte[])valid.Clone();
        BitConverter.GetBytes(offset).CopyTo(bytes, 108);
        return bytes;
    }
}
