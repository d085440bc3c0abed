using MedSeg.Tests.Core.IO;
using MedSeg.Tests.Torch.Reports;

namespace MedSeg.Tests.Cli;

/// <summary><c>medseg view</c> and <c>medseg report</c> in process, the way a newcomer runs them: defaults, one case, existing outputs.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class ViewReportCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void View_writes_one_page_and_never_overwrites_it()
    {
        string data = folder.Combine("uw");
        var synth = CliRunner.Run("synth", "--layout", "uwmgi", "--out", data, "--cases", "1", "--days", "1", "--slices", "4", "--size", "48x40");
        Assert.True(synth.Code == 0, synth.Err);
        string page = folder.Combine("view.html");

        var (code, stdout, stderr) = CliRunner.Run("view", "--data", data, "--out", page);

        Assert.True(code == 0, stderr);
        Assert.Contains($"wrote {page}", stdout);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(page));
        var again = CliRunner.Run("view", "--data", data, "--out", page);
        Assert.Equal(2, again.Code);
        Assert.Contains("already exists", again.Err);
        var shrunk = CliRunner.Run("view", "--data", data, "--out", folder.Combine("small.html"), "--max-mb", "0.001");
        Assert.Equal(2, shrunk.Code);
        Assert.Contains("--max-mb", shrunk.Err);
        var wrongName = CliRunner.Run("view", "--data", data, "--out", folder.Combine("view.png"));
        Assert.Contains("*.html", wrongName.Err);
    }

    [Fact]
    public void Report_writes_report_html_into_the_run_by_default()
    {
        (string run, string data, _) = HandRun.Write(folder.Path);

        var (code, stdout, stderr) = CliRunner.Run("report", run, "--data", data);

        Assert.True(code == 0, stderr);
        string page = Path.Combine(run, "report.html");
        Assert.Contains($"wrote {page}", stdout);
        Assert.Contains("Validation per class", File.ReadAllText(page));
        var again = CliRunner.Run("report", run);
        Assert.Equal(2, again.Code);
        Assert.Contains("already exists", again.Err);
    }
}
