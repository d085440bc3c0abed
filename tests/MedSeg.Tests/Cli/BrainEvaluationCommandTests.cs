using System.Text.Json;
using MedSeg.Cli;

namespace MedSeg.Tests.Cli;

/// <summary><c>synth --anatomy brain</c>, <c>bench copy-labels</c> and <c>evaluate</c> on held-out truth, end to end in process.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class BrainEvaluationCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-brain-cli-{Guid.NewGuid():N}");

    public BrainEvaluationCommandTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void The_copy_labels_baseline_of_the_brain_set_scores_against_labelsTs()
    {
        var raw = Path.Combine(root, "raw");
        var (code, stdout, _) = CliRunner.Run("synth", "--layout", "nnunet", "--anatomy", "brain", "--out", raw, "--cases", "3", "--size", "56x48", "--slices", "52");
        Assert.Equal(0, code);
        Assert.Contains("1 training, 2 held out", stdout);
        var data = Path.Combine(raw, "Dataset500_SynthBrain");

        Assert.Equal(0, CliRunner.Run("bench", "copy-labels", "--data", data, "--out", Path.Combine(root, "copy")).Code);
        var json = Path.Combine(root, "copy.json");
        Assert.Equal(0, CliRunner.Run("evaluate", "--pred", Path.Combine(root, "copy"), "--truth", data, "--json", json).Code);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(["sub02", "sub03"], report.RootElement.GetProperty("per_case").EnumerateObject().Select(p => p.Name));
        Assert.Equal(8, report.RootElement.GetProperty("per_class").EnumerateObject().Count());
        // The subjects are warped copies: the copied labels overlap them, but far from perfectly.
        Assert.InRange(report.RootElement.GetProperty("dice").GetDouble(), 0.1, 0.9);
    }

    [Theory]
    [InlineData("--layout", "uwmgi", "--layout nnunet")]
    [InlineData("--days", "2", "--days applies to --anatomy gi")]
    [InlineData("--anatomy", "knee", "valid: gi, brain")]
    public void Options_the_brain_set_does_not_take_are_one_error(string option, string value, string message)
    {
        string[] args = option == "--layout"
            ? ["synth", "--anatomy", "brain", "--out", Path.Combine(root, "raw"), option, value]
            : ["synth", "--layout", "nnunet", "--anatomy", option == "--anatomy" ? value : "brain", "--out", Path.Combine(root, "raw"), .. option == "--anatomy" ? Array.Empty<string>() : [option, value]];
        var (code, _, stderr) = CliRunner.Run(args);
        Assert.Equal(CommandLine.UserError, code);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "raw")));
    }
}
