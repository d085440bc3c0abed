using MedSeg.Core.Benchmarks;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Dicom;

/// <summary><c>medseg bench dicom</c>: one result per repeat, counting what it read.</summary>
public class DicomReadBenchmarkTests
{
    [DcmtkFact]
    public void EachRepeatReportsTheSlicesAndVoxelsItRead()
    {
        using var folder = new TempFolder();
        new DicomSeriesWriter { Intercept = -1024 }.Write(DicomFixtures.ObliqueCt(slices: 3), folder.Combine("ct"));

        var results = DicomReadBenchmark.Run(folder.Path, repeats: 2).ToList();

        Assert.Equal([1, 2], results.Select(r => (int)r["repeat"]!));
        Assert.All(results, r =>
        {
            Assert.Equal("dicom_read", r["bench"]);
            Assert.Equal(3, r["slices"]);
            Assert.Equal(7L * 5 * 3, r["voxels"]);
            Assert.True((double)r["slices_per_s"]! > 0);
        });
    }
}
