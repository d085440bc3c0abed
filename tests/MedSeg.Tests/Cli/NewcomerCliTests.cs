using System.Text.Json;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Cli;

/// <summary>
/// The command line as a newcomer meets it (issue: no crashes, promises kept, one convention): each mistake is one
/// line on stderr naming the option or file, exit code 2, and nothing written.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class NewcomerCliTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly string data;

    public NewcomerCliTests()
    {
        data = folder.Combine("data");
        Assert.Equal(0, Run("synth", "--out", data, "--cases", "2", "--days", "1", "--slices", "6", "--size", "32x32").Code);
    }

    public void Dispose() => folder.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string OneErrorLine((int Code, string Out, string Err) result)
    {
        Assert.Equal(2, result.Code);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("medseg: error: ", lines[0]);
        Assert.DoesNotContain("System.", lines[0]);
        Assert.DoesNotContain("  ", lines[0]);
        return lines[0];
    }

    [Fact]
    public void ADatasetGivenAsTheModelIsOneErrorThatSaysToGiveItAsData()
    {
        var error = OneErrorLine(Run("predict", "--model", data, "--data", data, "--out", folder.Combine("s.csv")));
        Assert.Contains("has no config.json", error);
        Assert.Contains("give it as --data", error);
        Assert.False(File.Exists(folder.Combine("s.csv")));
    }

    [Theory]
    [InlineData("--in-channels", "0")]
    [InlineData("--in-channels", "-1")]
    [InlineData("--classes", "0")]
    public void ModelsRefusesCountsBelowOne(string option, string value) =>
        Assert.Contains($"{option} {value} is not", OneErrorLine(Run("models", option, value)));

    [Fact]
    public void TheClassifierIsListedByModelsAndNamedByTheArchError()
    {
        var models = Run("models", "--json", "--classes", "3");
        Assert.Equal(0, models.Code);
        var rows = JsonDocument.Parse(models.Out).RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("arch").GetString() == "classifier" && r.GetProperty("encoder").GetString() == "resnet18"
            && r.GetProperty("params").GetInt64() > 11_000_000);
        var error = OneErrorLine(Run("train", "--data", data, "--out", folder.Combine("run"), "--arch", "unett"));
        Assert.Contains("classifier", error);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Fact]
    public void EvaluateNeverOverwritesAndWritesHtmlOnlyToHtml()
    {
        var existing = folder.Combine("report.html");
        File.WriteAllText(existing, "mine");
        var truthCsv = Path.Combine(data, "train.csv");
        Assert.Contains("already exists", OneErrorLine(Run("evaluate", "--pred", truthCsv, "--truth", data, "--report", existing)));
        Assert.Equal("mine", File.ReadAllText(existing));
        var json = folder.Combine("result.json");
        File.WriteAllText(json, "mine");
        Assert.Contains("already exists", OneErrorLine(Run("evaluate", "--pred", truthCsv, "--truth", data, "--json", json)));
        Assert.Equal("mine", File.ReadAllText(json));
        Assert.Contains("*.html", OneErrorLine(Run("evaluate", "--pred", truthCsv, "--truth", data, "--report", folder.Combine("out.pdf"))));
        Assert.False(File.Exists(folder.Combine("out.pdf")));
    }

    [Fact]
    public void JsonIsOneConventionEverywhere()
    {
        var truthCsv = Path.Combine(data, "train.csv");
        foreach (var args in new[] { new[] { "info" }, ["inspect", data], ["evaluate", "--pred", truthCsv, "--truth", data] })
        {
            var toStdout = Run([.. args, "--json"]);
            Assert.True(toStdout.Code == 0, toStdout.Err);
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(toStdout.Out).RootElement.ValueKind);
            var file = folder.Combine($"{args[0]}.json");
            var toFile = Run([.. args, "--json", file]);
            Assert.True(toFile.Code == 0, toFile.Err);
            Assert.Equal(JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateObject().Select(p => p.Name),
                JsonDocument.Parse(toStdout.Out).RootElement.EnumerateObject().Select(p => p.Name));
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(toFile.Out)); // the text, not JSON
        }
    }

    [Fact]
    public void HelpShowsDefaultsOneWayAndMinPixelsDefersToTheTunedFile()
    {
        foreach (var command in new[] { "train", "predict", "evaluate", "synth", "compare" })
        {
            var help = Run(command, "--help");
            Assert.Equal(0, help.Code);
            Assert.DoesNotContain("(default", help.Out);
            Assert.DoesNotContain("Default:", help.Out);
        }
        var predict = Run("predict", "--help").Out;
        Assert.Contains("[default: the run's tuned.json, else 0]", predict);
        Assert.DoesNotContain("[default: 0]", predict.Split('\n').Single(l => l.Contains("--min-pixels")));
    }

    [Fact]
    public void TuneTakesModelAsPredictDoes() =>
        Assert.Contains("give it as --data", OneErrorLine(Run("tune", "--model", data, "--data", data)));

    [Fact]
    public void SynthRefusesAnOptionOfAnotherLayout()
    {
        Assert.Contains("--dataset-id applies to --layout nnunet", OneErrorLine(Run("synth", "--layout", "uwmgi", "--out", folder.Combine("x"), "--dataset-id", "7")));
        Assert.Contains("--images applies to --layout folder", OneErrorLine(Run("synth", "--layout", "nnunet", "--out", folder.Combine("x"), "--images", "3")));
        Assert.False(Directory.Exists(folder.Combine("x")));
    }

    [Fact]
    public void AMistypedCommandOrOptionIsOneLineWithASuggestionAndHelpHasACommand()
    {
        Assert.Contains("did you mean 'train'?", OneErrorLine(Run("trian")));
        Assert.Contains("(see 'medseg --help')", OneErrorLine(Run("trian")));
        Assert.Contains("did you mean '--data'?", OneErrorLine(Run("train", "--dtaa", data)));
        Assert.Contains("no command given", OneErrorLine(Run()));
        var help = Run("help", "train");
        Assert.Equal(0, help.Code);
        Assert.Contains("--data", help.Out);
        Assert.Contains("--epochs 'abc' is not a whole number", OneErrorLine(Run("train", "--data", data, "--out", folder.Combine("r"), "--epochs", "abc")));
        Assert.Contains("--lr 'x' is not a number", OneErrorLine(Run("train", "--data", data, "--out", folder.Combine("r"), "--lr", "x")));
    }

    [Fact]
    public void CountsOfOneAreSingular()
    {
        var one = folder.Combine("one");
        Assert.Equal(0, Run("synth", "--out", one, "--cases", "1", "--days", "1", "--slices", "1", "--size", "32x32").Code);
        var inspect = Run("inspect", one);
        Assert.Equal(0, inspect.Code);
        Assert.Contains("1 case, 1 case-day, 1 slice\n", inspect.Out.Replace("\r", ""));
    }

    [Fact]
    public void EvaluateScoresTheTruthCsvAsAPredictionWarnsAboutMissingCaseDaysAndRefusesConflictingRows()
    {
        var truthCsv = Path.Combine(data, "train.csv");
        var self = Run("evaluate", "--pred", truthCsv, "--truth", data, "--json");
        Assert.True(self.Code == 0, self.Err);
        Assert.Equal(1.0, JsonDocument.Parse(self.Out).RootElement.GetProperty("score").GetDouble(), 6);
        var rows = File.ReadAllLines(truthCsv);
        var firstCaseDay = rows[1].Split('_')[0] + "_" + rows[1].Split('_')[1];
        var partial = folder.Combine("partial.csv");
        File.WriteAllLines(partial, rows.Where((r, i) => i == 0 || r.StartsWith(firstCaseDay + "_", StringComparison.Ordinal)));
        var warned = Run("evaluate", "--pred", partial, "--truth", data);
        Assert.Equal(0, warned.Code);
        Assert.StartsWith("medseg: warning: 1 case-day of 2 in the ground truth has no prediction", warned.Err);
        var conflicting = folder.Combine("conflict.csv");
        var row = rows[1].Split(',');
        File.WriteAllLines(conflicting, [.. rows, $"{row[0]},{row[1]},{(row[2] == "" ? "1 3" : "")}"]);
        var error = OneErrorLine(Run("evaluate", "--pred", conflicting, "--truth", data));
        Assert.Contains($"line {rows.Length + 1} gives {row[0]} {row[1]} another mask than line 2", error);
    }

    [Fact]
    public void CudaOnTheCpuBuildNamesThePackageToReference()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            return;
        }
        var error = OneErrorLine(Run("predict", "--model", data, "--data", data, "--out", folder.Combine("c.csv"), "--device", "cuda"));
        Assert.Contains("libtorch-cuda-12.8-linux-x64", error);
        Assert.Contains("README.md", error);
    }

    [Fact]
    public async Task ACorruptPngIsOneLineWithoutOpenCvsWarning()
    {
        var png = Directory.EnumerateFiles(data, "*.png", SearchOption.AllDirectories).First();
        File.WriteAllBytes(png, File.ReadAllBytes(png)[..60]);
        // OpenCV writes its warnings to the process's native stderr, so this runs the real program.
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "medseg"), ["inspect", data])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var error = OneErrorLine((process.ExitCode, await stdout, stderr));
        Assert.Contains(png, error);
        Assert.DoesNotContain("WARN", stderr);
    }
}
