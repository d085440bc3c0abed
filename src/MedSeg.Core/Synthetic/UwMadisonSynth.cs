using System.Globalization;
using System.Text;
using MedSeg.Core.Data;
using MedSeg.Core.IO;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Writes a synthetic GI-tract MRI dataset in the UW-Madison Kaggle layout (train.csv plus
/// <c>train/caseN/caseN_dayM/scans/slice_XXXX_W_H_SX_SY.png</c>, 16-bit): an abdomen with subcutaneous fat,
/// muscle, spine, kidneys, liver, spleen and vessels, and the three labelled organs (stomach in the upper slices,
/// small-bowel loops in the centre, the large bowel framing the abdomen), under a bias field and Rician noise.
/// Slices at both ends of each stack show no labelled organ. Deterministic per seed, byte for byte.
/// </summary>
public static class UwMadisonSynth
{
    /// <summary>The classes, in train.csv order.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["stomach", "small_bowel", "large_bowel"];

    /// <summary>
    /// Writes the dataset into <paramref name="outDir"/>, which must not exist or be empty. Everything is written
    /// into a temporary sibling folder first and renamed into place at the end, so a failed run leaves nothing.
    /// <paramref name="progress"/> receives one line per case-day.
    /// </summary>
    /// <exception cref="MedSegException">An option is out of range, or <paramref name="outDir"/> is a file or a non-empty folder.</exception>
    public static SynthSummary Write(string outDir, UwMadisonSynthOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(outDir);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return AtomicFolder.Write(outDir, folder => WriteInto(folder, options, progress));
    }

    private static SynthSummary WriteInto(string folder, UwMadisonSynthOptions options, Action<string>? progress)
    {
        var plan = SynthPlan.Create(options);
        // CSV rows are joined in plan order, so the files are the same whatever the thread timing.
        var results = SynthScanRenderer.ForEachScan(
            plan, scan => WriteCaseDay(folder, options, scan), scan => $"{scan.Id}: {options.Slices} slices of {options.Height}x{options.Width} written", progress);

        using (var csv = new StreamWriter(Path.Combine(folder, "train.csv"), append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            CsvFile.WriteRecord(csv, "id", "class", "segmentation");
            foreach (var result in results)
            {
                csv.Write(result.CsvRows);
            }
        }
        var positives = new int[Classes.Count];
        foreach (var result in results)
        {
            for (int c = 0; c < positives.Length; c++)
            {
                positives[c] += result.Positives[c];
            }
        }
        int cases = plan.Select(s => s.Case).Distinct().Count();
        return new SynthSummary(cases, plan.Count, plan.Count * options.Slices, Classes, positives);
    }

    private sealed record CaseDayResult(string CsvRows, int[] Positives);

    private static CaseDayResult WriteCaseDay(string folder, UwMadisonSynthOptions options, SynthPlan.Scan scan)
    {
        int height = options.Height, width = options.Width, pixels = height * width;
        var renderer = new SynthScanRenderer(options, scan);
        var image = new ushort[pixels];
        var mask = new byte[pixels];
        var positives = new int[Classes.Count];
        string scans = Path.Combine(folder, "train", string.Create(CultureInfo.InvariantCulture, $"case{scan.Case}"), scan.Id, "scans");
        Directory.CreateDirectory(scans);
        using var rows = new StringWriter(CultureInfo.InvariantCulture);
        for (int index = 0; index < options.Slices; index++)
        {
            ReadOnlySpan<byte> owner = renderer.RenderNext(image);
            var fileName = new UwSliceFileName(index + 1, width, height, scan.Spacing, scan.Spacing);
            File.WriteAllBytes(Path.Combine(scans, fileName.Format()), Png16.Encode(image, height, width));
            string id = new UwSliceId(scan.Case, scan.Day, index + 1).ToString();
            for (int c = 0; c < Classes.Count; c++)
            {
                byte label = (byte)(c + 1);
                for (int i = 0; i < pixels; i++)
                {
                    mask[i] = owner[i] == label ? (byte)1 : (byte)0;
                }
                string rle = Rle.Encode(mask);
                if (rle.Length > 0)
                {
                    positives[c]++;
                }
                CsvFile.WriteRecord(rows, id, Classes[c], rle);
            }
        }
        return new CaseDayResult(rows.ToString(), positives);
    }
}
