using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Segments the slices of a case-day with one network or a weighted ensemble of 2D / 2.5D networks:
/// per-class sigmoid probabilities averaged over members (and flip TTA), resized back to the slice's own size,
/// then thresholded with small predictions removed.
/// </summary>
public sealed class SliceSegmenter
{
    private readonly IReadOnlyList<EnsembleMember> members;
    private readonly PredictOptions options;
    private readonly Device device;
    private readonly double weightSum;

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Foreground probability threshold per class.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    public SliceSegmenter(IReadOnlyList<EnsembleMember> members, PredictOptions options, Device device)
    {
        if (members.Count == 0)
        {
            throw new MedSegException("no model given; pass at least one --model RUN.");
        }
        if (!PredictOptions.TtaChoices.Contains(options.Tta))
        {
            throw new MedSegException($"--tta {options.Tta} is unknown; valid: {string.Join(", ", PredictOptions.TtaChoices)}.");
        }
        Classes = members[0].Classes;
        foreach (var m in members.Skip(1))
        {
            if (!m.Classes.SequenceEqual(Classes))
            {
                throw new MedSegException(
                    $"the runs predict different classes ({string.Join(",", Classes)} vs {string.Join(",", m.Classes)}); ensemble runs trained on the same classes.");
            }
        }
        this.members = members;
        this.options = options;
        this.device = device;
        weightSum = members.Sum(m => m.Weight);
        if (!(weightSum > 0))
        {
            throw new MedSegException("the ensemble weights sum to zero; give at least one run a positive --weights value.");
        }
        Thresholds = options.Thresholds switch
        {
            null => Enumerable.Repeat(members[0].Config.Threshold, Classes.Count).ToArray(),
            { Count: 1 } one => Enumerable.Repeat(one[0], Classes.Count).ToArray(),
            var perClass when perClass.Count == Classes.Count => perClass,
            var other => throw new MedSegException(
                $"--threshold has {other.Count} values for {Classes.Count} classes ({string.Join(", ", Classes)}); give one value or one per class."),
        };
    }

    /// <summary>Per-class probabilities of a case-day, each D×H×W row-major in slice order.</summary>
    public float[][] Probabilities(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        var (depth, height, width) = (caseDay.Slices.Count, first.Height, first.Width);
        var plane = height * width;
        var probabilities = new float[Classes.Count][];
        for (var c = 0; c < Classes.Count; c++)
        {
            probabilities[c] = new float[depth * plane];
        }
        foreach (var member in members)
        {
            var (h, w) = member.Config.ParsedImageSize;
            var tensors = new SliceTensors(member.Config.InChannels, member.Config.SliceStride, h, w);
            var scale = (float)(member.Weight / weightSum);
            for (var start = 0; start < depth; start += options.BatchSize)
            {
                var count = Math.Min(options.BatchSize, depth - start);
                var refs = Enumerable.Range(start, count).Select(i => new SliceRef(caseDay, i)).ToArray();
                var batch = PredictBatch(member, tensors, refs, height, width);
                for (var i = 0; i < count; i++)
                {
                    for (var c = 0; c < Classes.Count; c++)
                    {
                        var source = batch.AsSpan((i * Classes.Count + c) * plane, plane);
                        var target = probabilities[c].AsSpan((start + i) * plane, plane);
                        for (var p = 0; p < plane; p++)
                        {
                            target[p] += scale * source[p];
                        }
                    }
                }
            }
        }
        return probabilities;
    }

    /// <summary>Per-class 0/1 masks of a case-day, each D×H×W row-major in slice order, thresholded and post-processed.</summary>
    public byte[][] Masks(UwCaseDay caseDay) => Masks(caseDay, Probabilities(caseDay));

    /// <summary>Masks from probabilities already computed by <see cref="Probabilities"/>.</summary>
    public byte[][] Masks(UwCaseDay caseDay, float[][] probabilities) =>
        ProbabilityThreshold.Apply(probabilities, caseDay.Slices.Count, caseDay.Slices[0].Height, caseDay.Slices[0].Width, Thresholds, options.Floor,
            options.PostProcess ?? PostProcessOptions.None);

    private float[] PredictBatch(EnsembleMember member, SliceTensors tensors, SliceRef[] refs, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = Autocast.BFloat16(member.Config.Precision == "bf16");
        var model = member.Model;
        var x = tensors.Inputs(refs).to(device);
        var probs = Sigmoid(model, x, height, width);
        if (options.Tta == "flip" || (options.Tta == "auto" && member.Config.AugmentationPipeline().FlipAxes.Contains(FlipAxis.Horizontal)))
        {
            var flipped = Sigmoid(model, x.flip(-1), height, width).flip(-1);
            probs = (probs + flipped) / 2;
        }
        return probs.cpu().contiguous().data<float>().ToArray();
    }

    private static Tensor Sigmoid(nn.Module<Tensor, Tensor> model, Tensor x, int height, int width)
    {
        var logits = model.call(x);
        if (logits.shape[2] != height || logits.shape[3] != width)
        {
            logits = nn.functional.interpolate(logits, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        return logits.sigmoid();
    }
}
