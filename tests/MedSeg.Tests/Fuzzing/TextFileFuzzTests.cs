using System.Text.Json;
using CsCheck;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of every text format a user writes or a file brings: RLE masks, Kaggle <c>train.csv</c>, nnU-Net
/// <c>dataset.json</c>, augmentation pipelines, loss descriptions and training configs (<see cref="ParserContract"/>).
/// </summary>
public sealed class TextFileFuzzTests : IDisposable
{
    private const int Iterations = 1000;
    private static readonly string[] JsonTokens =
        ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e400", "-1e400", "2147483648", "9223372036854775808", "0.5", "\"x\"", "\"\"", "\\u0000", "\"../x\"", "[]", "{}"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Rle_mutants_decode_or_fail_clearly()
    {
        var tokens = new[] { " ", "  ", "\t", "0", "1", "-1", "+3", "1e3", "2147483647", "2147483648", "99999999999999999999", "x", "\u0663", "1 1", "35 1" };
        var inputs = Gen.Select(Gen.Int[1, 7], Gen.Int[1, 7], Gen.Byte[0, 1].Array[49])
            .SelectMany((h, w, mask) => TextMutation.Mutants(Rle.Encode(mask.AsSpan(0, h * w)), tokens).Select(rle => (rle, h, w)));
        ParserContract.Sample(inputs, t => ParserContract.Holds(() => Rle.Decode(t.rle, t.h, t.w, "train.csv line 2"), "train.csv line 2"), Iterations);
    }

    [Fact]
    public void Train_csv_mutants_read_or_fail_clearly()
    {
        const string seed = "id,class,segmentation\ncase1_day0_slice_0001,stomach,1 3 10 2\ncase1_day0_slice_0001,large_bowel,\ncase1_day0_slice_0002,stomach,5 5\n";
        var tokens = new[] { ",", "\"", "\n", "\r\n", "\r", "case1_day0_slice_0003", "case12_day3_slice_9999", "stomach", "small_bowel", "1 2", "-4 2", "2147483647 1",
            "caseX", "../", "\"a,b\"", "\uFEFF", "\0", "id", "class", "segmentation" };
        var path = _folder.Combine("train.csv");
        ParserContract.Sample(TextMutation.Mutants(seed, tokens), text => ReadsOrFails(path, text, () => UwMadisonDataset.Load(_folder.Path)), Iterations);
    }

    [Fact]
    public void Submission_csv_mutants_read_or_fail_clearly()
    {
        const string seed = "id,class,predicted\ncase1_day0_slice_0001,stomach,1 3 10 2\ncase1_day0_slice_0001,large_bowel,\ncase1_day0_slice_0002,stomach,5 5\n";
        var tokens = new[] { ",", "\"", "\n", "\r\n", "case1_day0_slice_0003", "stomach", "1 2", "-4 2", "caseX", "\"a,b\"", "\uFEFF", "\0", "id", "predicted" };
        var path = _folder.Combine("submission.csv");
        ParserContract.Sample(TextMutation.Mutants(seed, tokens), text => ReadsOrFails(path, text, () => SubmissionCsv.Read(path)), Iterations);
    }

    [Fact]
    public void Dataset_json_mutants_read_or_fail_clearly()
    {
        const string seed = """
            {"channel_names": {"0": "MRI", "1": "T2"}, "labels": {"background": 0, "stomach": 1, "bowel": 2}, "numTraining": 3,
             "file_ending": ".nii.gz", "name": "Synth",
             "dataset": {"case1": {"images": ["imagesTr/case1_0000.nii.gz", "imagesTr/case1_0001.nii.gz"], "label": "labelsTr/case1.nii.gz"}}}
            """;
        var path = _folder.Combine("dataset.json");
        ParserContract.Sample(TextMutation.Mutants(seed, [.. JsonTokens, "\"channel_names\"", "\"labels\"", "\"0\"", "\"images\"", "\"label\"", "\"/etc/passwd\"", "\".nii\""]),
            text => ReadsOrFails(path, text, () => NnUnetDatasetInfo.Read(path)), Iterations);
    }

    [Fact]
    public void Augmentation_json_mutants_parse_or_fail_clearly()
    {
        const string seed = """
            [{"name": "flip", "axes": ["h", "v"], "p": 0.5}, {"name": "shift_scale_rotate", "p": 0.5, "shift": 0.1, "scale": 0.1, "rotate": 15},
             {"name": "elastic"}, {"name": "brightness_contrast", "p": 1}, {"name": "gamma"}, {"name": "gaussian_noise"}]
            """;
        var tokens = (string[])[.. JsonTokens, .. AugmentationPipeline.TransformNames.Select(n => $"\"{n}\""), "\"p\"", "\"axes\"", "\"h\"", "\"d\""];
        var path = _folder.Combine("augment.json");
        ParserContract.Sample(TextMutation.Mutants(seed, tokens), text => ReadsOrFails(path, text, () => AugmentationPipeline.Load(path)), Iterations);
    }

    [Fact]
    public void Loss_description_mutants_parse_or_fail_clearly()
    {
        const string seed = "bce(pos_weight=3):0.5+focal_tversky(gamma=0.75):0.5+lovasz(per_image=false):0.3+dice";
        var tokens = new[] { "+", ":", "(", ")", "=", ",", " ", "-1", "0", "NaN", "Infinity", "1e400", "ce", "dice", "focal", "tversky", "alpha", "true", "x" };
        ParserContract.Sample(Gen.Select(TextMutation.Mutants(seed, tokens), Gen.Enum<LossMode>()),
            t => ParserContract.Holds(() => SegmentationLoss.Parse(t.Item1, t.Item2), "--loss"), Iterations / 2);
    }

    [Fact]
    public void Config_json_mutants_load_or_fail_clearly()
    {
        var seed = JsonSerializer.Serialize(new TrainConfig(), TrainConfig.Json);
        var path = _folder.Combine("config.json");
        ParserContract.Sample(TextMutation.Mutants(seed, [.. JsonTokens, "\"2.5d\"", "\"3d\"", "\"8x32x32\"", "\"all\"", "\"cuda\""]),
            text =>
            {
                TrainConfig? config = null;
                ReadsOrFails(path, text, () => config = TrainConfig.Load(path));
                ParserContract.Holds(() => config?.Validate());
            }, Iterations);
    }

    private static void ReadsOrFails(string path, string text, Action read)
    {
        File.WriteAllText(path, text);
        ParserContract.Holds(read, path);
    }
}
