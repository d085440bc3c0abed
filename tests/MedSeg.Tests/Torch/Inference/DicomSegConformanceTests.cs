using System.Diagnostics;
using System.Text.Json;
using MedSeg.Tests.Core.Dicom;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>
/// What <c>predict --format dicom-seg</c> writes, checked by tools that share no code with GDCM: David Clunie's IOD
/// validator <c>dciodvfy</c> (dicom3tools) finds no error in either SEG; pydicom reads back the segments, the
/// referenced series and every frame's bits, and walks every element to check that none identifies the patient.
/// </summary>
public sealed class DicomSegConformanceTests(DicomSegFixture fixture, ITestOutputHelper output) : IClassFixture<DicomSegFixture>
{
    /// <summary>pydicom's view of a SEG: segment labels, referenced series, frames and each frame's set bits (no numpy needed).</summary>
    internal const string ReadSegScript = """
        import json, sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        rows, cols, frames = ds.Rows, ds.Columns, int(ds.NumberOfFrames)
        data = ds.PixelData
        def bit(i): return (data[i >> 3] >> (i & 7)) & 1
        counts = [sum(bit(f * rows * cols + i) for i in range(rows * cols)) for f in range(frames)]
        per_frame = ds.PerFrameFunctionalGroupsSequence
        print(json.dumps({
            "sop_class": str(ds.SOPClassUID),
            "segments": [s.SegmentLabel for s in ds.SegmentSequence],
            "numbers": [int(s.SegmentNumber) for s in ds.SegmentSequence],
            "referenced_series": [r.SeriesInstanceUID for r in ds.ReferencedSeriesSequence],
            "frames": frames,
            "per_frame_items": len(per_frame),
            "frame_segments": [int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber) for f in per_frame],
            "frame_sources": [f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID for f in per_frame],
            "frame_numbers": [int(getattr(f.DerivationImageSequence[0].SourceImageSequence[0], "ReferencedFrameNumber", 0)) for f in per_frame],
            "positives": counts,
        }))
        """;

    [DcmtkFact("dciodvfy")]
    public void DciodvfyFindsNoErrorInTheSegmentationOfASeriesOrOfAnEnhancedFile()
    {
        foreach (var seg in fixture.Cases.Select(c => c.Seg))
        {
            var report = Dciodvfy(seg);
            var lines = report.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            output.WriteLine($"dciodvfy {Path.GetFileName(seg)}: {lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal))} warning(s)");
            foreach (var line in lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)))
            {
                output.WriteLine("  " + line);
            }
            Assert.Contains("Segmentation", report);
            Assert.True(!lines.Any(l => l.StartsWith("Error", StringComparison.Ordinal)), $"dciodvfy reports errors in {seg}:\n{report}");
        }
    }

    [PydicomFact]
    public void PydicomReadsTheSegmentsTheReferencedSeriesAndEveryFrame()
    {
        foreach (var c in fixture.Cases)
        {
            var read = JsonDocument.Parse(SystemPython.Run(ReadSegScript, c.Seg)).RootElement;
            var expected = c.ExpectedFrames();
            var slices = c.Series.Slices;
            var plane = c.Labels.Shape.X * c.Labels.Shape.Y;

            Assert.Equal("1.2.840.10008.5.1.4.1.1.66.4", read.GetProperty("sop_class").GetString());
            Assert.Equal(DicomSegFixture.Classes, Strings(read, "segments"));
            Assert.Equal([1, 2], Integers(read, "numbers"));
            Assert.Equal([c.Source.SeriesUid], Strings(read, "referenced_series"));
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, read.GetProperty("frames").GetInt32());
            Assert.Equal(expected.Count, read.GetProperty("per_frame_items").GetInt32());
            Assert.Equal(expected.Select(f => f.Segment), Integers(read, "frame_segments"));
            Assert.Equal(expected.Select(f => slices[f.Z].SopInstanceUid), Strings(read, "frame_sources"));
            Assert.Equal(expected.Select(f => slices[f.Z].Frame + 1 ?? 0), Integers(read, "frame_numbers"));
            Assert.Equal(expected.Select(f => c.Labels.Voxels.AsSpan(f.Z * plane, plane).Count((ushort)f.Segment)), Integers(read, "positives"));
        }
    }

    /// <summary>Every element of a file (meta header included, sequences walked): path, keyword, VR and value text.</summary>
    internal const string ElementsScript = """
        import json, sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        out = []
        def walk(d, path):
            for e in d:
                binary = e.VR in ("OB", "OW", "OF", "UN")
                out.append({"path": path + (e.keyword or str(e.tag)), "keyword": e.keyword, "vr": e.VR, "value": "" if e.VR == "SQ" or binary else str(e.value)})
                if e.VR == "SQ":
                    for i, item in enumerate(e.value):
                        walk(item, f"{path}{e.keyword}[{i}].")
        walk(ds.file_meta, "")
        walk(ds, "")
        print(json.dumps(out))
        """;

    /// <summary>Dates and times a SEG may carry: when it was made (the content), never the patient's or the study's.</summary>
    private static readonly HashSet<string> OwnDates = ["ContentDate", "ContentTime"];

    /// <summary>Identifying attributes of DICOM's Basic Application Level Confidentiality Profile (PS3.15 E.1-1) that a SEG may hold only empty.</summary>
    private static readonly HashSet<string> Identifying =
    [
        "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "PatientAge", "OtherPatientIDs", "IssuerOfPatientID", "AccessionNumber",
        "StudyID", "StudyDescription", "ReferringPhysicianName", "InstitutionName", "InstitutionAddress", "StationName", "OperatorsName",
        "PerformingPhysicianName", "ContentCreatorName", "PatientComments", "PatientAddress", "MilitaryRank", "EthnicGroup",
    ];

    [PydicomFact]
    public void NoElementOfEitherSegIdentifiesThePatientAndEveryUidIsAReferenceOrNew()
    {
        foreach (var c in fixture.Cases)
        {
            var elements = JsonDocument.Parse(SystemPython.Run(ElementsScript, c.Seg)).RootElement.EnumerateArray()
                .Select(e => (Path: e.GetProperty("path").GetString()!, Keyword: e.GetProperty("keyword").GetString()!, Vr: e.GetProperty("vr").GetString()!, Value: e.GetProperty("value").GetString()!))
                .ToArray();
            // The UIDs referencing needs: the source study, series, frame of reference and images.
            var references = new HashSet<string>(c.Series.Slices.Select(s => s.SopInstanceUid)) { c.Source.StudyUid, c.Source.SeriesUid, c.Series.Slices[0].FrameOfReferenceUid };
            output.WriteLine($"{Path.GetFileName(c.Seg)}: {elements.Length} elements");

            Assert.True(elements.Length > 50, $"only {elements.Length} elements read");
            foreach (var (path, keyword, vr, value) in elements)
            {
                Assert.False(value.Contains("Doe", StringComparison.OrdinalIgnoreCase) || value.Contains(DicomSeriesWriter.PatientId, StringComparison.Ordinal)
                    || value.Contains(DicomSeriesWriter.BirthDate, StringComparison.Ordinal), $"{path} = '{value}' repeats a patient tag of the source");
                Assert.False(vr == "PN" && value.Length > 0, $"{path} names a person: '{value}'");
                Assert.False(vr is "DA" or "TM" or "DT" && !OwnDates.Contains(keyword) && value.Length > 0, $"{path} carries a date or time: '{value}'");
                Assert.False(Identifying.Contains(keyword) && value.Length > 0, $"{path} is an identifying attribute with the value '{value}'");
                Assert.True(vr != "UI" || references.Contains(value) || value.StartsWith("1.2.840.10008.", StringComparison.Ordinal) || value.StartsWith(GdcmUidRoot, StringComparison.Ordinal),
                    $"{path} = {value} is neither a reference to the source, a standard UID nor one MedSeg made");
            }
            Assert.Contains(elements, e => e.Keyword == "StudyInstanceUID" && e.Value == c.Source.StudyUid);
            Assert.Contains(elements, e => e.Keyword == "ReferencedSOPInstanceUID" && references.Contains(e.Value));
        }
    }

    /// <summary>The root of the UIDs GDCM's UIDGenerator makes (the SEG's own instance, series and dimension UIDs).</summary>
    private const string GdcmUidRoot = "1.2.826.0.1.3680043.2.1143.";

    private static string[] Strings(JsonElement e, string key) => e.GetProperty(key).EnumerateArray().Select(v => v.GetString()!).ToArray();

    private static int[] Integers(JsonElement e, string key) => e.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>dciodvfy's report (it writes to stderr and exits non-zero on errors, so its exit code is not the verdict).</summary>
    private static string Dciodvfy(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("dciodvfy", [file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return stdout.Result + stderr;
    }
}
