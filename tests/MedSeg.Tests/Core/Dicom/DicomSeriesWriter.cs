using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// Writes a volume of known geometry as a DICOM series, one file per slice, with DCMTK's <c>dump2dcm</c> (not with
/// the library under test): int16 pixels, ImagePositionPatient and ImageOrientationPatient from the RAS affine turned
/// into LPS, PixelSpacing, and RescaleSlope/Intercept. File names and InstanceNumbers can be shuffled, so a reader
/// that sorts by either gets the volume wrong.
/// </summary>
internal sealed class DicomSeriesWriter
{
    /// <summary>Patient tags every fixture carries, which no MedSeg output may repeat.</summary>
    public const string PatientName = "Doe^Jane", PatientId = "PID-4711", BirthDate = "19610923";

    public string SeriesUid { get; init; } = "1.2.826.0.1.3680043.9.7777.1." + Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture);

    public string StudyUid { get; init; } = "1.2.826.0.1.3680043.9.7777.2";

    public int SeriesNumber { get; init; } = 3;

    public string Modality { get; init; } = "CT";

    public double Slope { get; init; } = 1;

    public double Intercept { get; init; }

    /// <summary>Seed of the shuffle of file names and InstanceNumbers; null keeps them in slice order.</summary>
    public int? ShuffleSeed { get; init; }

    /// <summary>Slices left out (to make a gap).</summary>
    public IReadOnlySet<int> Omit { get; init; } = new HashSet<int>();

    /// <summary>ImageOrientationPatient to write for slice k instead of the affine's (to mix orientations).</summary>
    public Func<int, double[]?> OrientationOverride { get; init; } = _ => null;

    public static bool HasTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    /// <summary>Writes <paramref name="image"/> (values must be representable as int16 after rescale) into <paramref name="folder"/>; returns the files in slice order.</summary>
    public IReadOnlyList<string> Write(Volume<float> image, string folder)
    {
        Directory.CreateDirectory(folder);
        var s = image.Shape;
        var a = image.Affine;
        double[] Lps(double x, double y, double z) => [-x, -y, z];
        var colStep = Lps(a[0, 0], a[1, 0], a[2, 0]);
        var rowStep = Lps(a[0, 1], a[1, 1], a[2, 1]);
        double columnSpacing = Norm(colStep), rowSpacing = Norm(rowStep);
        double[] orientation = [.. colStep.Select(v => v / columnSpacing), .. rowStep.Select(v => v / rowSpacing)];
        var order = Enumerable.Range(0, s.Z).ToArray();
        if (ShuffleSeed is { } seed)
        {
            new Random(seed).Shuffle(order);
        }
        var files = new string[s.Z];
        var work = Path.Combine(folder, ".work");
        Directory.CreateDirectory(work);
        Parallel.For(0, s.Z, new ParallelOptions { MaxDegreeOfParallelism = 2 }, z =>
        {
            if (Omit.Contains(z))
            {
                return;
            }
            var (px, py, pz) = a.Apply(0, 0, z);
            var raw = Path.Combine(work, $"{z}.raw");
            var pixels = new byte[s.X * s.Y * 2];
            for (var i = 0; i < s.X * s.Y; i++)
            {
                var stored = checked((short)Math.Round((image.Voxels[z * s.X * s.Y + i] - Intercept) / Slope));
                BitConverter.TryWriteBytes(pixels.AsSpan(2 * i), stored);
            }
            File.WriteAllBytes(raw, pixels);
            var dump = new StringBuilder();
            void Tag(string tag, string vr, string value) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");
            string Ds(IEnumerable<double> values) => "[" + string.Join('\\', values.Select(v => v.ToString("G12", CultureInfo.InvariantCulture))) + "]";
            Tag("0008,0016", "UI", Modality == "CT" ? "[1.2.840.10008.5.1.4.1.1.2]" : "[1.2.840.10008.5.1.4.1.1.4]");
            Tag("0008,0018", "UI", $"[{SeriesUid}.{z + 1}]");
            Tag("0008,0060", "CS", $"[{Modality}]");
            Tag("0008,103e", "LO", "[fixture]");
            Tag("0010,0010", "PN", $"[{PatientName}]");
            Tag("0010,0020", "LO", $"[{PatientId}]");
            Tag("0010,0030", "DA", $"[{BirthDate}]");
            Tag("0020,000d", "UI", $"[{StudyUid}]");
            Tag("0020,000e", "UI", $"[{SeriesUid}]");
            Tag("0020,0011", "IS", $"[{SeriesNumber}]");
            Tag("0020,0013", "IS", $"[{order[z] + 1}]");
            Tag("0020,0032", "DS", Ds(Lps(px, py, pz)));
            Tag("0020,0037", "DS", Ds(OrientationOverride(z) ?? orientation));
            Tag("0020,0052", "UI", $"[{StudyUid}.9]");
            Tag("0028,0002", "US", "1");
            Tag("0028,0004", "CS", "[MONOCHROME2]");
            Tag("0028,0010", "US", s.Y.ToString(CultureInfo.InvariantCulture));
            Tag("0028,0011", "US", s.X.ToString(CultureInfo.InvariantCulture));
            Tag("0028,0030", "DS", Ds([rowSpacing, columnSpacing]));
            Tag("0028,0100", "US", "16");
            Tag("0028,0101", "US", "16");
            Tag("0028,0102", "US", "15");
            Tag("0028,0103", "US", "1");
            Tag("0028,1052", "DS", Ds([Intercept]));
            Tag("0028,1053", "DS", Ds([Slope]));
            Tag("7fe0,0010", "OW", "=" + raw);
            var dumpPath = Path.Combine(work, $"{z}.txt");
            File.WriteAllText(dumpPath, dump.ToString());
            files[z] = Path.Combine(folder, $"IM{order[z] + 1:D4}");
            Run("dump2dcm", dumpPath, files[z]);
        });
        Directory.Delete(work, recursive: true);
        return files.Where(f => f is not null).ToArray();
    }

    /// <summary>Runs a tool, failing the test with its output when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {error}");
        return output.Result;
    }

    private static double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}
