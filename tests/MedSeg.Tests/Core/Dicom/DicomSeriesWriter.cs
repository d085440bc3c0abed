using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// Writes a volume of known geometry as a DICOM series, one file per slice or one multi-frame Enhanced CT/MR file,
/// with DCMTK's <c>dump2dcm</c> (not with the library under test): int16 pixels, ImagePositionPatient and ImageOrientationPatient from the RAS affine turned
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
        var (orientation, rowSpacing, columnSpacing) = Plane(image.Affine);
        var order = Order(s.Z);
        var files = new string[s.Z];
        var work = Path.Combine(folder, ".work");
        Directory.CreateDirectory(work);
        Parallel.For(0, s.Z, new ParallelOptions { MaxDegreeOfParallelism = 2 }, z =>
        {
            if (Omit.Contains(z))
            {
                return;
            }
            var raw = Path.Combine(work, $"{z}.raw");
            File.WriteAllBytes(raw, Stored(image, [z]));
            var dump = Header(s, Modality == "CT" ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4", $"{SeriesUid}.{z + 1}", order[z] + 1);
            dump.Tag("0020,0032", "DS", Ds(Position(image.Affine, z)));
            dump.Tag("0020,0037", "DS", Ds(OrientationOverride(z) ?? orientation));
            dump.Tag("0028,0030", "DS", Ds([rowSpacing, columnSpacing]));
            dump.Tag("0028,1052", "DS", Ds([Intercept]));
            dump.Tag("0028,1053", "DS", Ds([Slope]));
            dump.Tag("7fe0,0010", "OW", "=" + raw);
            files[z] = Path.Combine(folder, $"IM{order[z] + 1:D4}");
            Convert(dump, Path.Combine(work, $"{z}.txt"), files[z]);
        });
        Directory.Delete(work, recursive: true);
        return files.Where(f => f is not null).ToArray();
    }

    /// <summary>
    /// Writes <paramref name="image"/> as one multi-frame Enhanced CT (or MR) image <paramref name="file"/>: no
    /// top-level geometry, each frame's ImagePositionPatient in its PlanePositionSequence (frames stored in the
    /// shuffled order when <see cref="ShuffleSeed"/> is set), orientation, pixel spacing and rescale in the shared
    /// functional groups; <see cref="Omit"/> leaves frames out.
    /// </summary>
    public void WriteEnhanced(Volume<float> image, string file)
    {
        var s = image.Shape;
        var (orientation, rowSpacing, columnSpacing) = Plane(image.Affine);
        // Stored frame f holds slice slices[f]: the slices not omitted, in shuffled order.
        var order = Order(s.Z);
        var slices = Enumerable.Range(0, s.Z).Where(z => !Omit.Contains(z)).OrderBy(z => order[z]).ToArray();
        var work = file + ".work";
        Directory.CreateDirectory(work);
        var raw = Path.Combine(work, "frames.raw");
        File.WriteAllBytes(raw, Stored(image, slices));
        var dump = Header(s, Modality == "CT" ? "1.2.840.10008.5.1.4.1.1.2.1" : "1.2.840.10008.5.1.4.1.1.4.1", SeriesUid + ".1", 1);
        dump.Tag("0008,0008", "CS", "[ORIGINAL\\PRIMARY\\AXIAL\\NONE]");
        dump.Tag("0028,0008", "IS", $"[{slices.Length}]");
        dump.Sequence("5200,9229", [() =>
        {
            dump.Sequence("0020,9116", [() => dump.Tag("0020,0037", "DS", Ds(orientation))]);
            dump.Sequence("0028,9110", [() => dump.Tag("0028,0030", "DS", Ds([rowSpacing, columnSpacing]))]);
            dump.Sequence("0028,9145", [() =>
            {
                dump.Tag("0028,1052", "DS", Ds([Intercept]));
                dump.Tag("0028,1053", "DS", Ds([Slope]));
                dump.Tag("0028,1054", "LO", Modality == "CT" ? "[HU]" : "[US]");
            }]);
        }]);
        dump.Sequence("5200,9230", slices.Select<int, Action>(z => () =>
        {
            dump.Sequence("0020,9111", [() => dump.Tag("0020,9157", "UL", $"{z + 1}")]);
            dump.Sequence("0020,9113", [() => dump.Tag("0020,0032", "DS", Ds(Position(image.Affine, z)))]);
        }).ToArray());
        dump.Tag("7fe0,0010", "OW", "=" + raw);
        Convert(dump, Path.Combine(work, "frames.txt"), file);
        Directory.Delete(work, recursive: true);
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

    /// <summary>The tags every fixture image has: identity, patient, study, series and pixel format (no geometry).</summary>
    private DumpText Header(VolumeShape s, string sopClass, string sopInstance, int instanceNumber)
    {
        var dump = new DumpText();
        dump.Tag("0008,0016", "UI", $"[{sopClass}]");
        dump.Tag("0008,0018", "UI", $"[{sopInstance}]");
        dump.Tag("0008,0060", "CS", $"[{Modality}]");
        dump.Tag("0008,103e", "LO", "[fixture]");
        dump.Tag("0010,0010", "PN", $"[{PatientName}]");
        dump.Tag("0010,0020", "LO", $"[{PatientId}]");
        dump.Tag("0010,0030", "DA", $"[{BirthDate}]");
        dump.Tag("0020,000d", "UI", $"[{StudyUid}]");
        dump.Tag("0020,000e", "UI", $"[{SeriesUid}]");
        dump.Tag("0020,0011", "IS", $"[{SeriesNumber}]");
        dump.Tag("0020,0013", "IS", $"[{instanceNumber}]");
        dump.Tag("0020,0052", "UI", $"[{StudyUid}.9]");
        dump.Tag("0028,0002", "US", "1");
        dump.Tag("0028,0004", "CS", "[MONOCHROME2]");
        dump.Tag("0028,0010", "US", s.Y.ToString(CultureInfo.InvariantCulture));
        dump.Tag("0028,0011", "US", s.X.ToString(CultureInfo.InvariantCulture));
        dump.Tag("0028,0100", "US", "16");
        dump.Tag("0028,0101", "US", "16");
        dump.Tag("0028,0102", "US", "15");
        dump.Tag("0028,0103", "US", "1");
        return dump;
    }

    /// <summary>The in-plane geometry of a RAS affine in DICOM's terms: ImageOrientationPatient (LPS) and the row and column spacings.</summary>
    private static (double[] Orientation, double RowSpacing, double ColumnSpacing) Plane(Affine a)
    {
        var colStep = Lps(a[0, 0], a[1, 0], a[2, 0]);
        var rowStep = Lps(a[0, 1], a[1, 1], a[2, 1]);
        double columnSpacing = Norm(colStep), rowSpacing = Norm(rowStep);
        return ([.. colStep.Select(v => v / columnSpacing), .. rowStep.Select(v => v / rowSpacing)], rowSpacing, columnSpacing);
    }

    private static double[] Position(Affine a, int z)
    {
        var (x, y, zz) = a.Apply(0, 0, z);
        return Lps(x, y, zz);
    }

    private static double[] Lps(double x, double y, double z) => [-x, -y, z];

    /// <summary>The InstanceNumber order (0-based) of the slices: shuffled by <see cref="ShuffleSeed"/>, else the slice order.</summary>
    private int[] Order(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (ShuffleSeed is { } seed)
        {
            new Random(seed).Shuffle(order);
        }
        return order;
    }

    /// <summary>The int16 stored values of the slices <paramref name="slices"/>, back to back.</summary>
    private byte[] Stored(Volume<float> image, IReadOnlyList<int> slices)
    {
        var plane = image.Shape.X * image.Shape.Y;
        var pixels = new byte[plane * slices.Count * 2];
        for (var f = 0; f < slices.Count; f++)
        {
            for (var i = 0; i < plane; i++)
            {
                var stored = checked((short)Math.Round((image.Voxels[slices[f] * plane + i] - Intercept) / Slope));
                BitConverter.TryWriteBytes(pixels.AsSpan(2 * (f * plane + i)), stored);
            }
        }
        return pixels;
    }

    private static void Convert(DumpText dump, string dumpPath, string file)
    {
        File.WriteAllText(dumpPath, dump.ToString());
        Run("dump2dcm", dumpPath, file);
    }

    private static string Ds(IEnumerable<double> values) => "[" + string.Join('\\', values.Select(v => v.ToString("G12", CultureInfo.InvariantCulture))) + "]";

    private static double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

    /// <summary>A data set in dcmdump's text form, which <c>dump2dcm</c> turns into a file; sequences of items nest.</summary>
    private sealed class DumpText
    {
        private readonly StringBuilder text = new();

        public void Tag(string tag, string vr, string value) => text.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");

        /// <summary>A sequence with one item per action, each adding the item's tags.</summary>
        public void Sequence(string tag, Action[] items)
        {
            text.Append(CultureInfo.InvariantCulture, $"({tag}) SQ (Sequence with undefined length)\n");
            foreach (var item in items)
            {
                text.Append("(fffe,e000) na (Item with undefined length)\n");
                item();
                text.Append("(fffe,e00d) na (ItemDelimitationItem)\n");
            }
            text.Append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
        }

        public override string ToString() => text.ToString();
    }
}
