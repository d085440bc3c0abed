using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// A classification run (<c>--arch classifier</c>): the same slice samples, stacks and augmentation as
/// <see cref="SliceSegmentationTask"/>, but the target is per class "the (augmented) slice contains this class"
/// and the network an encoder with a classification head — the empty-slice gate of the 1st-place pipeline.
/// The <c>--loss</c> terms apply to the N×C presence logits (so <c>dice</c> becomes a soft F1 over the batch).
/// Validation reports the mean per-class F1 of presence at the run's threshold (a class absent from the fold and
/// never predicted counts 1); the out-of-fold output is each case-day's presence probabilities as a
/// C×D×1×1 <see cref="ProbabilityMaps"/> file.
/// </summary>
public sealed class SlicePresenceTask : ITrainingTask
{
    private readonly TrainConfig config;
    private readonly FoldSplit split;
    private readonly SliceSegmentationTask slices;
    private readonly SegmentationLoss loss;

    public SlicePresenceTask(IReadOnlyList<string> classes, TrainConfig config, FoldSplit split)
    {
        this.config = config;
        this.split = split;
        slices = new SliceSegmentationTask(classes, config, split);
        loss = SegmentationLoss.Parse(config.Loss);
    }

    public IReadOnlyList<string> Classes => slices.Classes;

    public int SampleCount => slices.SampleCount;

    public string Description => slices.Description + "; classifying per-class presence";

    public nn.Module<Tensor, Tensor> CreateModel() => TrainingNetworks.Create(config, Classes.Count);

    public TrainingBatch Batch(IReadOnlyList<int> samples, long stream)
    {
        var masks = slices.Batch(samples, stream);
        return masks with { Targets = masks.Targets.amax([2, 3]).gt(0).to_type(ScalarType.Float32) };
    }

    public Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingBatch batch) =>
        loss.Compute(model.call(batch.Inputs).unsqueeze(-1), batch.Targets.unsqueeze(-1), batch.Ignore);

    public ValidationResult Validate(nn.Module<Tensor, Tensor> model, Device device)
    {
        var counts = new ConfusionCounts[Classes.Count];
        foreach (var caseDay in split.Validation)
        {
            var predicted = SlicePresence.Probabilities(Member(model), caseDay, config.BatchSize, device);
            var truth = TruePresence(caseDay);
            for (var c = 0; c < Classes.Count; c++)
            {
                var decided = predicted[c].Select(p => p >= config.Threshold ? (byte)1 : (byte)0).ToArray();
                counts[c] += ConfusionCounts.Of(decided, truth[c]);
            }
        }
        return new ValidationResult(counts.Average(c => c.F1(EmptyPolicy.One)), double.NaN, double.NaN);
    }

    public void WriteOutOfFold(nn.Module<Tensor, Tensor> model, string folder, Device device)
    {
        foreach (var caseDay in split.Validation)
        {
            ProbabilityMaps.Write(folder, caseDay.Id, SlicePresence.Probabilities(Member(model), caseDay, config.BatchSize, device),
                caseDay.Slices.Count, 1, 1);
        }
    }

    /// <summary>Per class, 1 for each slice whose mask has a pixel of the class.</summary>
    private byte[][] TruePresence(UwCaseDay caseDay)
    {
        var masks = CaseDayMasks.Truth(caseDay, Classes.Count);
        var plane = caseDay.Slices[0].Height * caseDay.Slices[0].Width;
        return masks.Select(mask => Enumerable.Range(0, caseDay.Slices.Count)
            .Select(s => mask.AsSpan(s * plane, plane).ContainsAnyExcept((byte)0) ? (byte)1 : (byte)0).ToArray()).ToArray();
    }

    private EnsembleMember Member(nn.Module<Tensor, Tensor> model) => new(model, config, Classes, 1.0);
}
