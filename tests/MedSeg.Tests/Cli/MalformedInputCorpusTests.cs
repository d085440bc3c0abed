using MedSeg.Tests.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Fuzzing;
using MedSeg.Tests.Torch.Inference;

namespace MedSeg.Tests.Cli;

/// <summary>
/// Damaged inputs (many of them found by the fuzzers) given to inspect, train, predict, tune, evaluate and compare
/// through the command line: each is one error line on stderr (exit code 2) and no output is left behind.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class MalformedInputCorpusTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Cases => new(
        "png-truncated-idat", "png-bad-iend", "png-huge-header", "png-empty", "csv-quoted-newline-header", "csv-negative-rle", "csv-rle-past-image",
        "csv-odd-rle", "csv-bad-id", "csv-short-row", "dataset-json-repeated-key", "dataset-json-not-object", "nifti-claims-gigabyte",
        "nifti-gz-claims-2^40", "nifti-truncated-label", "submission-quoted-newline-header", "submission-odd-rle", "predict-broken-config",
        "train-config-bad-size", "train-config-not-json", "train-augment-bad-probability", "tune-broken-run", "compare-config-not-json",
        "predict-non-utf8-weights");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Damaged_input_is_one_error_line_and_no_output(string name)
    {
        var output = _folder.Combine("output");
        var args = Arrange(name, output);
        var (code, _, error) = CliRunner.Run(args);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == 2 && lines.Length == 1 && lines[0].StartsWith("medseg: error: ", StringComparison.Ordinal), $"{name}: exit {code}: {error}");
        foreach (var path in new[] { output, output + ".json", output + ".csv" })
        {
            Assert.False(File.Exists(path) || Directory.Exists(path), $"{name} left {path}");
        }
        Assert.True(lines[0].Contains(Expected(name)), $"{name}: {lines[0]}");
    }

    /// <summary>What the error must name: the damaged file or value.</summary>
    private static string Expected(string name) => name switch
    {
        "png-empty" => "corrupt",
        _ when name.StartsWith("png-") => "damaged PNG",
        "csv-quoted-newline-header" => "segmenta\"n\\n",
        _ when name.StartsWith("csv-") => "train.csv line",
        _ when name.StartsWith("dataset-json-") => "dataset.json",
        "nifti-claims-gigabyte" => "is truncated",
        "nifti-gz-claims-2^40" => "more than MedSeg reads at once",
        "nifti-truncated-label" => "labelsTr",
        _ when name.StartsWith("submission-") => "submission.csv",
        "train-config-bad-size" => "128x:28",
        "train-augment-bad-probability" => "1.5",
        "predict-non-utf8-weights" => "model.safetensors is not a valid safetensors file",
        _ => "config.json",
    };

    /// <summary>Writes the case's damaged input and returns the command line that reads it (writing to <paramref name="output"/>).</summary>
    private string[] Arrange(string name, string output)
    {
        var uw = _folder.Combine("uw");
        var raw = _folder.Combine("raw");
        var csv = Path.Combine(uw, "train.csv");
        var run = _folder.Combine("run");
        var config = _folder.Combine("config.json");
        if (name.StartsWith("png-") || name.StartsWith("csv-") || name.StartsWith("submission-") || name.StartsWith("train-") || name.StartsWith("predict-") || name.StartsWith("tune-") || name.StartsWith("compare-"))
        {
            Assert.Equal(0, CliRunner.Run("synth", "--out", uw, "--cases", "2", "--days", "1", "--slices", "4", "--size", "32x32", "--seed", "1").Code);
        }
        else
        {
            Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--out", raw, "--cases", "2", "--days", "1", "--slices", "4", "--size", "32x32").Code);
            raw = Directory.GetDirectories(raw).Single();
        }
        var png = Directory.Exists(uw) ? Directory.EnumerateFiles(uw, "*.png", SearchOption.AllDirectories).Order().First() : "";
        var rows = File.Exists(csv) ? File.ReadAllLines(csv) : [];
        var positive = Array.FindIndex(rows, r => !r.EndsWith(','));
        string[] inspectUw = ["inspect", uw, "--json", output + ".json"];
        string[] inspectRaw = ["inspect", raw, "--json", output + ".json"];
        switch (name)
        {
            case "png-truncated-idat" or "png-bad-iend" or "png-huge-header":
                var found = FuzzFindingsTests.Cases.Select(c => ((string)c[0], (string)c[1])).ToDictionary();
                File.WriteAllBytes(png, Convert.FromHexString(found[name["png-".Length..].Replace("truncated-idat", "truncated-2bit").Replace("huge-header", "huge") + ".png"]));
                return inspectUw;
            case "png-empty":
                File.WriteAllBytes(png, []);
                return inspectUw;
            case "csv-quoted-newline-header":
                File.WriteAllLines(csv, ["id,class,segmenta\"n", .. rows[1..]]);
                return inspectUw;
            case "csv-negative-rle" or "csv-rle-past-image" or "csv-odd-rle":
                var rle = name switch { "csv-negative-rle" => "-4 2", "csv-rle-past-image" => "99999 5", _ => "1 2 3" };
                rows[positive] = rows[positive][..(rows[positive].LastIndexOf(',') + 1)] + rle;
                File.WriteAllLines(csv, rows);
                return inspectUw;
            case "csv-bad-id" or "csv-short-row":
                File.WriteAllLines(csv, [.. rows, name == "csv-bad-id" ? "caseX_day0_slice_0001,stomach," : "case1_day0_slice_0001"]);
                return inspectUw;
            case "dataset-json-repeated-key":
                var json = File.ReadAllText(Path.Combine(raw, "dataset.json"));
                File.WriteAllText(Path.Combine(raw, "dataset.json"), json.Replace("\"labels\"", "\"numTraining\": 2, \"labels\""));
                return inspectRaw;
            case "dataset-json-not-object":
                File.WriteAllText(Path.Combine(raw, "dataset.json"), "[]");
                return inspectRaw;
            case "nifti-claims-gigabyte" or "nifti-gz-claims-2^40":
                var v2 = name.Contains("gz");
                var header = new NiftiFileBuilder { Version = v2 ? 2 : 1, DataType = 2, Dim = v2 ? [3, 1 << 20, 1 << 20, 1, 1, 1, 1, 1] : [3, 1024, 1024, 1024, 1, 1, 1, 1] }.Build(new byte[16]);
                File.WriteAllBytes(Directory.EnumerateFiles(Path.Combine(raw, "imagesTr")).Order().First(), v2 ? NiftiFileBuilder.Gzip(header) : header);
                return inspectRaw;
            case "nifti-truncated-label":
                var label = Directory.EnumerateFiles(Path.Combine(raw, "labelsTr")).Order().First();
                File.WriteAllBytes(label, File.ReadAllBytes(label)[..200]);
                return inspectRaw;
            case "submission-quoted-newline-header" or "submission-odd-rle":
                var submission = _folder.Combine("submission.csv");
                var id = rows[positive].Split(',')[0];
                File.WriteAllLines(submission, name == "submission-odd-rle" ? ["id,class,predicted", $"{id},stomach,1 2 3"] : ["id,class,pr\"edicted", $"{id},stomach,"]);
                return ["evaluate", "--pred", submission, "--truth", uw, "--json", output + ".json"];
            case "predict-broken-config" or "tune-broken-run":
                Directory.CreateDirectory(run);
                File.WriteAllText(Path.Combine(run, "config.json"), "{");
                File.WriteAllText(Path.Combine(run, "run.json"), "{}");
                File.WriteAllBytes(Path.Combine(run, "model.safetensors"), Convert.FromHexString("6042A20D000000007B7D"));
                return name == "tune-broken-run" ? ["tune", "--oof", run, "--data", uw] : ["predict", "--model", run, "--data", uw, "--out", output + ".csv"];
            case "predict-non-utf8-weights":
                LabelMapPredictorTests.UntrainedRun(run, UwMadisonSynth.Classes);
                File.WriteAllBytes(Path.Combine(run, "model.safetensors"), Convert.FromHexString(FuzzFindingsTests.NonUtf8Safetensors));
                return ["predict", "--model", run, "--data", uw, "--out", output + ".csv"];
            case "train-config-bad-size" or "train-config-not-json" or "compare-config-not-json":
                File.WriteAllText(config, name == "train-config-bad-size" ? "{\"image_size\": \"128x:28\"}" : "{");
                return [name.StartsWith("compare") ? "compare" : "train", "--data", uw, "--out", output, "--config", config];
            case "train-augment-bad-probability":
                return ["train", "--data", uw, "--out", output, "--augment", "[{\"name\": \"flip\", \"p\": 1.5}]"];
            default:
                throw new ArgumentException($"no case {name}");
        }
    }
}
