using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

public sealed class NpyFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("medseg-npy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void HeaderFollowsTheNpyFormatAndDataRoundTripsAsFloat16()
    {
        var path = Path.Combine(folder, "a.npy");
        float[] values = [0f, 0.5f, 1f, 0.25f, 0.125f, 0.75f];
        NpyFile.WriteFloat16(path, values, [2, 3]);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var headerLength = bytes[8] | bytes[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64); // data starts on a 64-byte boundary
        Assert.Equal(10 + headerLength + 12, bytes.Length);
        Assert.StartsWith("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength));
        // float16 0.5 = 0x3800, little-endian.
        Assert.Equal(new byte[] { 0x00, 0x38 }, bytes[(10 + headerLength + 2)..(10 + headerLength + 4)]);
        Assert.Equal(values, NpyFile.Read(path, out var shape));
        Assert.Equal(new[] { 2, 3 }, shape);
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingIt()
    {
        var path = Path.Combine(folder, "b.npy");
        NpyFile.WriteFloat16(path, new float[8], [8]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);
        var error = Assert.Throws<MedSegException>(() => NpyFile.Read(path, out _));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void NumpyReadsWhatMedSegWrites()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            return; // no independent reference on this machine; the header test above still checks the format
        }
        var path = Path.Combine(folder, "c.npy");
        NpyFile.WriteFloat16(path, [1f, 2f, 3f, 4f, 5f, 6f], [1, 2, 3]);
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", $"import numpy as np; a = np.load('{path}'); print(a.dtype, a.shape, a[0, 1, 2])"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            return; // numpy absent
        }
        Assert.Equal("float16 (1, 2, 3) 6.0", output);
    }
}
