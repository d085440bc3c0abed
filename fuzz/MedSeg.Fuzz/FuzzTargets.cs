using System.Buffers.Binary;
using System.Text;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;
using MedSeg.Tests.Fuzzing;

namespace MedSeg.Fuzz;

/// <summary>
/// The parsers a user's file reaches, as fuzz targets, each with seeds of a few hundred bytes: MedSeg's own writers
/// where it has one, the tests' byte-level NIfTI builder for NIfTI-2 and big-endian files.
/// </summary>
internal static class FuzzTargets
{
    private static readonly short[] Voxels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        new("nifti", "image.nii", ReadNifti, () => [("v1-le.nii", Nifti1()), ("v1-be.nii", Builder(1, true)), ("v2-le.nii", Builder(2, false)), ("v2-be.nii", Builder(2, true))]),
        new("nifti-gz", "image.nii.gz", ReadNifti, () => [("v1.nii.gz", NiftiFileBuilder.Gzip(Nifti1())), ("v2-be.nii.gz", NiftiFileBuilder.Gzip(Builder(2, true)))]),
        new("png16", "slice_0001_7_5_1.50_1.50.png", path => { WithValidCrcs(path); Png16.Read(path, out _, out _); },
            () => [("gray16.png", Png16.Encode(Enumerable.Range(0, 35).Select(i => (ushort)(i * 1871)).ToArray(), 5, 7))]),
        new("rgbpng", "image.png", path => { WithValidCrcs(path); _ = RasterImage.Read(path); _ = RgbPng.Read(path, out _, out _); },
            () => [("rgb.png", RgbPng.Encode(Enumerable.Range(0, 5 * 7 * 3).Select(i => (byte)(i * 37)).ToArray(), 5, 7))]),
        new("npy", "case1_day0.npy", path => NpyFile.Read(path, out _), () => [("f16.npy", Npy())]),
        new("safetensors", "model.safetensors", SafetensorsHeader.Check, () => [("model.safetensors", Safetensors())]),
        new("rle", "mask.rle", path => Rle.Decode(File.ReadAllText(path), 7, 5, path),
            () => [("mask.rle", Encoding.ASCII.GetBytes(Rle.Encode(Enumerable.Range(0, 35).Select(i => (byte)(i % 3 == 0 || i > 30 ? 1 : 0)).ToArray())))]),
        new("csv", "train.csv", path => UwMadisonDataset.Load(Path.GetDirectoryName(path)!),
            () => [("train.csv", "id,class,segmentation\ncase1_day0_slice_0001,stomach,1 3 10 2\ncase1_day0_slice_0001,large_bowel,\ncase1_day0_slice_0002,stomach,5 5\n"u8.ToArray())]),
    ];

    /// <summary>
    /// Recomputes the PNG's chunk CRCs before it is read, so that mutants get past the CRC check into the decoder's
    /// (the CRC check itself is fuzzed by the CsCheck properties, which leave a quarter of their PNG mutants as they are).
    /// </summary>
    private static void WithValidCrcs(string path) => File.WriteAllBytes(path, PngChunks.WithValidCrcs(File.ReadAllBytes(path)));

    private static void ReadNifti(string path)
    {
        var volume = Nifti.Read(path);
        _ = volume.ToImage();
        _ = volume.ToLabels();
    }

    /// <summary>A NIfTI-1 file as MedSeg writes it: 3 × 2 × 2 int16 voxels, anisotropic spacing, an affine with an offset.</summary>
    private static byte[] Nifti1() => WrittenBy(".nii", path =>
        Nifti.Write(path, new Volume<short>(new VolumeGeometry(new VolumeShape(3, 2, 2), Affine.FromRows([2, 0, 0, 1, 0, 2, 0, 2, 0, 0, 3, 4])), Voxels)));

    private static byte[] Builder(int version, bool bigEndian) =>
        new NiftiFileBuilder { Version = version, BigEndian = bigEndian, SFormCode = 1, SRows = [2, 0, 0, 1, 0, 2, 0, 2, 0, 0, 3, 4] }
            .Build(NiftiFileBuilder.Int16Data(bigEndian, Voxels));

    private static byte[] Npy() => WrittenBy(".npy", path => NpyFile.WriteFloat16(path, [0.5f, 1, 2, 3, 4, 5], [2, 3]));

    /// <summary>The bytes <paramref name="write"/> puts in a file ending in <paramref name="ending"/> (a temporary one).</summary>
    private static byte[] WrittenBy(string ending, Action<string> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medseg-fuzz-seed-{Environment.ProcessId}{ending}");
        try
        {
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Two tensors (F32 2 × 3, F16 2) and metadata: the 8-byte little-endian header length, the JSON header, the data.</summary>
    private static byte[] Safetensors()
    {
        var header = """{"conv.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"conv.bias":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"__metadata__":{"format":"pt"}}"""u8;
        var bytes = new byte[8 + header.Length + 28];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, header.Length);
        header.CopyTo(bytes.AsSpan(8));
        for (var i = 0; i < 28; i++)
        {
            bytes[8 + header.Length + i] = (byte)i;
        }
        return bytes;
    }
}
