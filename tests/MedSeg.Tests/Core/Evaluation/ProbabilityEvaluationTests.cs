using MedSeg.Core;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Evaluation;

/// <summary><c>evaluate --probabilities</c> in the library: pooled per-class precision–recall and the errors of bad maps.</summary>
public sealed class ProbabilityEvaluationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _data;
    private readonly string _submission;
    private readonly string _probabilities;

    public ProbabilityEvaluationTests()
    {
        (_data, _submission) = HandSubmission.Write(_folder.Path);
        _probabilities = _folder.Combine("probabilities");
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("uwmgi")]
    [InlineData("dice")]
    public void Submission_gets_hand_computed_precision_recall_pooled_over_case_days(string metric)
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");

        EvaluationReport report = SubmissionEvaluator.Load(_submission, _data).Evaluate(new EvaluationOptions(metric, Probabilities: _probabilities));

        AssertHandCurves(report.PrecisionRecall);
        EvaluationReport without = SubmissionEvaluator.Load(_submission, _data).Evaluate(new EvaluationOptions(metric));
        Assert.Null(without.PrecisionRecall);
        Assert.Equal(without.Score, report.Score, 12);
    }

    [Fact]
    public void Label_maps_take_maps_named_by_case_id()
    {
        var (dataset, predictions) = HandLabelMaps.Write(_folder.Combine("nifti"));
        HandProbabilities.Write(_probabilities, "case1", "case2");

        EvaluationReport report = Evaluator.Load(predictions, dataset).Evaluate(new EvaluationOptions("dice", Probabilities: _probabilities));

        AssertHandCurves(report.PrecisionRecall);
    }

    [Fact]
    public void Json_has_a_pr_object_per_class_and_the_mean_average_precision()
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");

        var json = SubmissionEvaluator.Load(_submission, _data).Evaluate(new EvaluationOptions("uwmgi", Probabilities: _probabilities)).ToJson();

        Assert.Equal(Math.Round(HandProbabilities.AveragePrecision, 6), json["average_precision"]);
        var a = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)json["per_class"]!)["a"]!)["pr"]!;
        Assert.Equal(Math.Round(HandProbabilities.AveragePrecision, 6), a["average_precision"]);
        Assert.Equal(HandProbabilities.BestThreshold, a["best_threshold"]);
        Assert.Equal(HandProbabilities.BestF1, a["best_f1"]);
        Assert.Equal(4L, a["positives"]);
        var b = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)json["per_class"]!)["b"]!)["pr"]!;
        Assert.Null(b["average_precision"]);
    }

    [Fact]
    public void Missing_map_names_the_file_and_how_to_write_it()
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");
        File.Delete(Path.Combine(_probabilities, "case2_day1.npy"));

        string message = Evaluate().Message;

        Assert.Contains(Path.Combine(_probabilities, "case2_day1.npy"), message);
        Assert.Contains("--save-probabilities", message);
    }

    [Fact]
    public void Map_of_another_shape_names_the_file_and_both_shapes()
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");
        ProbabilityMaps.Write(_probabilities, "case2_day1", HandProbabilities.Maps(3, 3), 3, 4, 4);

        string message = Evaluate().Message;

        Assert.Contains(Path.Combine(_probabilities, "case2_day1.npy"), message);
        Assert.Contains("(3, 3, 4, 4)", message);
        Assert.Contains("(3, 2, 4, 4)", message);
    }

    [Fact]
    public void Map_with_another_class_count_names_the_file_and_the_counts()
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");
        ProbabilityMaps.Write(_probabilities, "case1_day1", HandProbabilities.Maps(2, 2), 2, 4, 4);

        string message = Evaluate().Message;

        Assert.Contains(Path.Combine(_probabilities, "case1_day1.npy"), message);
        Assert.Contains("holds 2 classes but the evaluation has 3", message);
    }

    [Fact]
    public void Value_outside_zero_to_one_names_the_file()
    {
        HandProbabilities.Write(_probabilities, "case1_day1", "case2_day1");
        ProbabilityMaps.Write(_probabilities, "case2_day1", HandProbabilities.Maps((2, 1, 0, 3, 3.5f)), 2, 4, 4);

        string message = Evaluate().Message;

        Assert.Contains(Path.Combine(_probabilities, "case2_day1.npy"), message);
        Assert.Contains("outside 0–1", message);
    }

    [Fact]
    public void Missing_folder_names_the_option()
    {
        Assert.Contains("--probabilities", Evaluate().Message);
    }

    private MedSegException Evaluate() => Assert.Throws<MedSegException>(() =>
        SubmissionEvaluator.Load(_submission, _data).Evaluate(new EvaluationOptions("uwmgi", Probabilities: _probabilities)));

    private static void AssertHandCurves(PrecisionRecallResult? result)
    {
        Assert.NotNull(result);
        Assert.Equal(["a", "b", "c"], result.Curves.Select(c => c.ClassName));
        PrecisionRecallCurve a = result.Curves[0];
        Assert.Equal(HandProbabilities.AveragePrecision, a.AveragePrecision, 12);
        Assert.Equal(HandProbabilities.BestThreshold, a.BestThreshold, 12);
        Assert.Equal(HandProbabilities.BestF1, a.BestF1, 12);
        Assert.Equal(4, a.Positives);
        Assert.Equal(60, a.Negatives);
        Assert.True(double.IsNaN(result.Curves[1].AveragePrecision));
        Assert.Equal(0, result.Curves[1].Positives);
        Assert.Equal(64, result.Curves[2].Negatives);
        Assert.Equal(HandProbabilities.AveragePrecision, result.MeanAveragePrecision, 12);
    }
}
