using System.Text.Json;

namespace MedSeg.Tests.Cli;

[Collection(nameof(SequentialCollection))]
public sealed class BenchDataCommandTests
{
    [Fact]
    public void Prints_one_json_line_per_configuration_with_a_synchronous_baseline()
    {
        var (code, stdout, stderr) = CliRunner.Run("bench", "data", "--cases", "1", "--slices", "8", "--size", "64x64", "--batch", "2",
            "--network-size", "32", "--train-steps", "0");
        Assert.True(code == 0, stderr);
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        var benches = results.Select(r => r.GetProperty("bench").GetString()).ToArray();
        Assert.Equal(2, benches.Count(b => b == "png_decode"));
        Assert.Equal(2, benches.Count(b => b == "data_sync"));
        Assert.Equal(8, benches.Count(b => b == "data_loader"));
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("slices_per_s").GetDouble() > 0);
            Assert.True(r.GetProperty("peak_mb").GetInt64() > 0);
        });
        var loaderRuns = results.Where(r => r.GetProperty("bench").GetString() == "data_loader")
            .Select(r => (r.GetProperty("threads").GetInt32(), r.GetProperty("cache").GetString(), r.GetProperty("augment").GetString()));
        Assert.Equal(8, loaderRuns.Distinct().Count());
    }

    [Fact]
    public void A_batch_larger_than_the_dataset_is_an_error_naming_the_option()
    {
        var (code, _, stderr) = CliRunner.Run("bench", "data", "--cases", "1", "--slices", "4", "--batch", "8");
        Assert.NotEqual(0, code);
        Assert.Contains("--batch 8", stderr);
    }
}
