using System.Text;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;

namespace MedSeg.Tests.Fuzzing;

/// <summary>
/// The inputs the fuzzers found that broke the parser contract (a hang, another exception type, a multi-line message)
/// and the header-driven allocations they must refuse, kept as regression cases: each is one clear
/// <see cref="MedSegException"/> naming the file, before any large allocation.
/// </summary>
public sealed class FuzzFindingsTests : IDisposable
{
    /// <summary>More than the parsers allocate for a tiny file, far less than the headers below claim.</summary>
    private const long AllocationBound = 16 << 20;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// afl++ (scripts/fuzz.sh afl --target safetensors) found it: a safetensors header with bytes that are not UTF-8
    /// inside its JSON names threw InvalidOperationException when a name was read.
    /// </summary>
    internal const string NonUtf8Safetensors =
        "A1000000000000007B22636F6E822E776569676874223A7B226474797065223A22463332222C227368617065223A5B322C335D2C22646174615F6F666673657473223A5B302C32345D7D2C"
        + "22636F6E762E62696173223A7B226474797065223A2246CE36222C2273686170BD223A5B325D2C22646174615F6F666673657473223A5B32342C32385D7D2C225F5F6D657461646174615F5F"
        + "223A7B22666F726D6174223A227074227D7D000102030405060708090A0B0C0D1A1B";

    public static TheoryData<string, string> Cases => new()
    {
        // OpenCV stalled (> 10 s) on these PNGs: a 2-bit gray image whose stream ends inside IDAT, an RGB image with a damaged IEND.
        { "truncated-2bit.png", "89504E470D0A1A0A0000000D4948445200000007000000050200000064AC9E14E4FF00002A49444154081D63646060F707410E30C962ACC90E841CFFE3" },
        { "bad-iend.png", "89504E470D0A1A0A0000000D494844520000000700000005080200000006F8618F8500002549444154081D6360F5CA9FB2F31EB3866FD1F43D0FD9B4034A67ED7FC2C4890D502E0A0014D60C57750B9C720000000049459C44AE426082" },
        // A PNG header that claims 2^30 × 2^30 pixels over 12 bytes of data.
        { "huge.png", "89504E470D0A1A0A0000000D49484452400000004000000010000000AAAAAAAA0000000B4944415478DA636000000000010001AAAAAAAA0000000049454E44AE426082" },
        // TorchSharp.PyBridge stalled on a safetensors header length of 228 MB in a 200-byte file.
        { "long-header.safetensors", "6042A20D000000007B7D" },
        { "non-utf8-header.safetensors", NonUtf8Safetensors },
        // int.Parse threw FormatException on a shape written without its comma.
        { "no-comma.npy", Npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2 3), }", 12) },
        { "huge-shape.npy", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", 4) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Found_input_is_one_clear_error(string name, string hex)
    {
        var path = _folder.Combine(name);
        File.WriteAllBytes(path, Convert.FromHexString(hex));
        Action read = Path.GetExtension(name) switch
        {
            ".png" => () => RasterImage.Read(path),
            ".npy" => () => NpyFile.Read(path, out _),
            _ => () => ModelWeights.ReadStateDict(path),
        };
        var error = Assert.Throws<MedSegException>(() => Bounded(read));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Nifti_claiming_a_gigabyte_is_refused_before_allocating(int version, bool gzip)
    {
        // 1024 × 1024 × 1024 uint8 voxels (1 GiB) claimed by a file of a few hundred bytes; and 2^40 voxels.
        long[][] claims = version == 1 ? [[3, 1024, 1024, 1024, 1, 1, 1, 1]] : [[3, 1024, 1024, 1024, 1, 1, 1, 1], [3, 1 << 20, 1 << 20, 1, 1, 1, 1, 1]];
        foreach (var dim in claims)
        {
            var bytes = new NiftiFileBuilder { Version = version, DataType = 2, Dim = dim }.Build(new byte[16]);
            var path = _folder.Combine(gzip ? "huge.nii.gz" : "huge.nii");
            File.WriteAllBytes(path, gzip ? NiftiFileBuilder.Gzip(bytes) : bytes);
            var error = Assert.Throws<MedSegException>(() => Bounded(() => Nifti.Read(path)));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void Dataset_json_with_a_repeated_key_is_one_clear_error()
    {
        var path = _folder.Combine("dataset.json");
        File.WriteAllText(path, """{"channel_names": {"0": "MRI", "0": "MRI"}, "labels": {"background": 0, "a": 1}, "numTraining": 1, "file_ending": ".nii.gz"}""");
        Assert.Contains(path, Assert.Throws<MedSegException>(() => NnUnetDatasetInfo.Read(path)).Message);
    }

    [Fact]
    public void Quoted_line_breaks_in_a_csv_header_stay_one_line_in_the_error()
    {
        var path = _folder.Combine("submission.csv");
        File.WriteAllText(path, "id,class,pr\"edicted\ncase1_day0_slice_0001,stomach,1 3\n");
        var error = Assert.Throws<MedSegException>(() => SubmissionCsv.Read(path));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("\\n", error.Message);
    }

    /// <summary>Runs <paramref name="read"/> and fails if it allocated <see cref="AllocationBound"/> bytes or more on this thread.</summary>
    private static void Bounded(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read();
        }
        finally
        {
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationBound);
        }
    }

    private static string Npy(string header, int dataBytes)
    {
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(new byte[dataBytes]);
        return Convert.ToHexString([.. bytes]);
    }
}
