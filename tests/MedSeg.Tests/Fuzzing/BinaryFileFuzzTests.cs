using System.Buffers.Binary;
using System.Text;
using CsCheck;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of every binary format a user's file reaches: NIfTI-1/2 of both byte orders, raw and gzip; 16-bit
/// gray and RGB PNG (chunk CRCs recomputed so mutants reach the decoder); NumPy <c>.npy</c>. Each mutant is written to a
/// file and read the way MedSeg reads user data (<see cref="ParserContract"/>).
/// </summary>
public sealed class BinaryFileFuzzTests : IDisposable
{
    private const int Iterations = 600;
    private static readonly short[] Voxels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(1, true, false)]
    [InlineData(2, false, false)]
    [InlineData(2, true, false)]
    [InlineData(1, false, true)]
    [InlineData(2, true, true)]
    public void Nifti_mutants_read_or_fail_clearly(int version, bool bigEndian, bool gzip)
    {
        var header = version == 1 ? 348 : 540;
        var seed = new NiftiFileBuilder { Version = version, BigEndian = bigEndian, SFormCode = 1, SRows = [2, 0, 0, 1, 0, 2, 0, 2, 0, 0, 3, 4] }
            .Build(NiftiFileBuilder.Int16Data(bigEndian, Voxels));
        var mutants = ByteMutation.Mutants(seed, header);
        if (gzip)
        {
            mutants = Gen.Frequency((3, mutants.Select(NiftiFileBuilder.Gzip)), (1, ByteMutation.Mutants(NiftiFileBuilder.Gzip(seed), 64)));
        }
        var path = _folder.Combine(gzip ? "image.nii.gz" : "image.nii");
        ParserContract.Sample(mutants, bytes => ReadsOrFails(path, bytes, () =>
        {
            var volume = Nifti.Read(path);
            _ = volume.ToImage();
            _ = volume.ToLabels();
        }), Iterations, Hex);
    }

    [Fact]
    public void Png16_mutants_read_or_fail_clearly()
    {
        var pixels = Enumerable.Range(0, 35).Select(i => (ushort)(i * 1871)).ToArray();
        var path = _folder.Combine("slice_0001_7_5_1.50_1.50.png");
        ParserContract.Sample(PngMutants(Png16.Encode(pixels, 5, 7)), bytes => ReadsOrFails(path, bytes, () => Png16.Read(path, out _, out _)), Iterations, Hex);
    }

    [Fact]
    public void Rgb_png_mutants_read_or_fail_clearly()
    {
        var rgb = Enumerable.Range(0, 5 * 7 * 3).Select(i => (byte)(i * 37)).ToArray();
        var path = _folder.Combine("image.png");
        ParserContract.Sample(PngMutants(RgbPng.Encode(rgb, 5, 7)), bytes => ReadsOrFails(path, bytes, () =>
        {
            _ = RasterImage.Read(path);
            _ = RgbPng.Read(path, out _, out _);
        }), Iterations, Hex);
    }

    [Fact]
    public void Npy_mutants_read_or_fail_clearly()
    {
        var path = _folder.Combine("case1_day0.npy");
        NpyFile.WriteFloat16(path, [0.5f, 1, 2, 3, 4, 5], [2, 3]);
        var seed = File.ReadAllBytes(path);
        var header = Encoding.ASCII.GetString(seed, 10, BinaryPrimitives.ReadUInt16LittleEndian(seed.AsSpan(8)));
        var headerMutants = TextMutation.Mutants(header, ["'<f4'", "'<f8'", "'>f2'", "'<i4'", "(", ")", ",", "-1", "0", "99999999999", "1099511627776",
            "True", "'fortran_order'", "'shape'", "{", "}", ":", "\n", " "])
            .Select(text => Npy(text, seed.AsSpan(10 + header.Length)));
        ParserContract.Sample(Gen.OneOf(ByteMutation.Mutants(seed, 128), headerMutants), bytes => ReadsOrFails(path, bytes, () => NpyFile.Read(path, out _)),
            Iterations, Hex);
    }

    internal static Gen<byte[]> PngMutants(byte[] seed) =>
        Gen.Frequency((3, ByteMutation.Mutants(seed, 64).Select(PngChunks.WithValidCrcs)), (1, ByteMutation.Mutants(seed, seed.Length)));

    internal static void ReadsOrFails(string path, byte[] bytes, Action read)
    {
        File.WriteAllBytes(path, bytes);
        ParserContract.Holds(read, path);
    }

    internal static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private static byte[] Npy(string header, ReadOnlySpan<byte> data)
    {
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        var text = Encoding.ASCII.GetBytes(header);
        bytes.AddRange(BitConverter.GetBytes((ushort)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }
}
