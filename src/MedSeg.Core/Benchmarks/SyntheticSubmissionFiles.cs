using System.Globalization;
using System.Text;
using MedSeg.Core.IO;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// The synthetic submission of <see cref="MetricsBenchmark"/> on disk, as <c>medseg evaluate</c> reads it: a
/// UW-Madison folder (<c>train.csv</c> with the truth as RLE, and one image per slice under <c>train/</c>, named with
/// its size and spacing but empty, since evaluation reads image names, never pixels) and <c>submission.csv</c>
/// with the prediction, one row per (slice, class) in both.
/// </summary>
internal static class SyntheticSubmissionFiles
{
    /// <summary>Writes the case-days of <paramref name="depths"/> under <paramref name="root"/>; returns the data folder and the submission.</summary>
    public static (string Data, string Submission) Write(string root, MetricsBenchmarkOptions o, int[] depths, IReadOnlyList<string> classes)
    {
        string data = Path.Combine(root, "data"), submission = Path.Combine(root, "submission.csv");
        Directory.CreateDirectory(data);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var truthCsv = new StreamWriter(Path.Combine(data, "train.csv"), append: false, utf8, bufferSize: 1 << 16);
        using var predCsv = new StreamWriter(submission, append: false, utf8, bufferSize: 1 << 16);
        truthCsv.Write("id,class,segmentation\n");
        predCsv.Write(SubmissionCsv.Header + "\n");
        string imageName = string.Create(CultureInfo.InvariantCulture, $"_{o.Width}_{o.Height}_1.50_1.50.png");
        int plane = o.Height * o.Width;
        MetricsBenchmark.ForEachCaseDay(o, depths, threads: 1, (caseDayId, depth, pred, truth) =>
        {
            string scans = Path.Combine(data, "train", caseDayId.Split('_')[0], caseDayId, "scans");
            Directory.CreateDirectory(scans);
            for (int s = 0; s < depth; s++)
            {
                string number = (s + 1).ToString("D4", CultureInfo.InvariantCulture);
                File.Create(Path.Combine(scans, $"slice_{number}{imageName}")).Dispose();
                string sliceId = $"{caseDayId}_slice_{number}";
                for (int c = 0; c < classes.Count; c++)
                {
                    CsvFile.WriteRecord(truthCsv, sliceId, classes[c], Rle.Encode(truth[c].AsSpan(s * plane, plane)));
                    CsvFile.WriteRecord(predCsv, sliceId, classes[c], Rle.Encode(pred[c].AsSpan(s * plane, plane)));
                }
            }
        });
        return (data, submission);
    }
}
