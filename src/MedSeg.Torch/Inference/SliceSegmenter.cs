using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Segments the slices of a case-day with one network or a weighted ensemble of 2D / 2.5D networks and 3D networks
/// (whole case-days through the sliding window, <see cref="SlidingWindowMember"/>):
/// per-class sigmoid probabilities averaged over members (and the TTA views of <see cref="TtaView"/>), resized back
/// to the slice's own size, then thresholded — classes an optional gate classifier calls absent dropped per slice —
/// and post-processed.
/// </summary>
public sealed class SliceSegmenter
{
    private readonly IReadOnlyList<EnsembleMember> members;
    private readonly PredictOptions options;
    private readonly Device device;
    private readonly double weightSum;
    private readonly EnsembleMember? gate;
    // Per member, parsed once: how its run turns slices into inputs, and its test-time views.
    private readonly SliceTensors[] inputs;
    private readonly IReadOnlyList<TtaView>[] views;

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Foreground probability threshold per class.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <param name="gate">A classification run (<c>--arch classifier</c>) deciding per slice which classes are present;
    /// a class it calls absent (probability below its run's threshold) is dropped from that slice before post-processing.</param>
    public SliceSegmenter(IReadOnlyList<EnsembleMember> members, PredictOptions options, Device device, EnsembleMember? gate = null)
    {
        if (members.Count == 0)
        {
            throw new MedSegException("no model given; pass at least one --model RUN.");
        }
        Classes = EnsembleClasses.Common(members.Select(m => m.Classes));
        if (gate is not null)
        {
            EnsembleClasses.CheckGate(gate.Classes, Classes);
        }
        this.members = members;
        inputs = [.. members.Select(m => m.Config.InputTensors())];
        views = [.. members.Select(m => TtaView.For(options.Tta, m.Config.AugmentationPipeline()))];
        this.gate = gate;
        this.options = options;
        this.device = device;
        weightSum = EnsembleWeights.CheckSum(members.Sum(m => m.Weight));
        Thresholds = ProbabilityThreshold.PerClass(options.Thresholds, members[0].Config.Threshold, Classes);
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
        for (var m = 0; m < members.Count; m++)
        {
            AddMember(m, caseDay, probabilities, (float)(members[m].Weight / weightSum));
        }
        return probabilities;
    }

    /// <summary>Per-class 0/1 masks of a case-day, each D×H×W row-major in slice order, thresholded and post-processed.</summary>
    public byte[][] Masks(UwCaseDay caseDay) => Masks(caseDay, Probabilities(caseDay));

    /// <summary>Masks from probabilities already computed by <see cref="Probabilities"/>.</summary>
    public byte[][] Masks(UwCaseDay caseDay, float[][] probabilities) =>
        ProbabilityThreshold.Apply(probabilities, caseDay.Slices.Count, caseDay.Slices[0].Height, caseDay.Slices[0].Width, Thresholds, options.Floor,
            options.PostProcess ?? PostProcessOptions.None, gate is null ? null : GateDecisions(caseDay));

    /// <summary>Masks from per-class D×H×W probabilities of a volume of that size (no gate: it reads slices of a case-day).</summary>
    public byte[][] Masks(float[][] probabilities, int depth, int height, int width) =>
        gate is not null
            ? throw new InvalidOperationException("a gated segmenter needs the case-day; call Masks(caseDay, probabilities).")
            : ProbabilityThreshold.Apply(probabilities, depth, height, width, Thresholds, options.Floor, options.PostProcess ?? PostProcessOptions.None, null);

    /// <summary>The gate's per-class, per-slice "present" decisions for <paramref name="caseDay"/>.</summary>
    private bool[][] GateDecisions(UwCaseDay caseDay)
    {
        var threshold = gate!.Config.Threshold;
        return SlicePresence.Probabilities(gate, caseDay, options.BatchSize, device)
            .Select(slices => slices.Select(p => p >= threshold).ToArray()).ToArray();
    }

    /// <summary>Adds <paramref name="scale"/> × one member's per-class probabilities of the case-day (the per-mode dispatch).</summary>
    private void AddMember(int m, UwCaseDay caseDay, float[][] probabilities, float scale)
    {
        var member = members[m];
        if (member.Config.Mode == "3d")
        {
            var inferer = new SlidingWindowInferer(member.Config.ParsedPatch.Sizes, options.Overlap, options.Blend, options.BatchSize);
            SlidingWindowMember.Add(member, caseDay, probabilities, scale, inferer, views[m], device);
            return;
        }
        AddSliceMember(member, inputs[m], views[m], caseDay, probabilities, scale);
    }

    /// <summary>A 2D / 2.5D member: batches of slices (stacks) through the network, resized back to the slice size.</summary>
    private void AddSliceMember(EnsembleMember member, SliceTensors tensors, IReadOnlyList<TtaView> views, UwCaseDay caseDay,
        float[][] probabilities, float scale)
    {
        var first = caseDay.Slices[0];
        var (depth, height, width) = (caseDay.Slices.Count, first.Height, first.Width);
        var plane = height * width;
        for (var start = 0; start < depth; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, depth - start);
            var refs = Enumerable.Range(start, count).Select(i => new SliceRef(caseDay, i)).ToArray();
            var batch = PredictBatch(member, tensors, views, refs, height, width);
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

    private float[] PredictBatch(EnsembleMember member, SliceTensors tensors, IReadOnlyList<TtaView> views, SliceRef[] refs, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = Autocast.For(member.Config.Precision);
        var x = tensors.Inputs(refs).to(device);
        // Inputs were cut to the case-day's ROI box (the full slice without a crop): resize to it, paste back.
        var box = tensors.Reader.Box(refs[0].CaseDay);
        Tensor? sum = null;
        foreach (var output in TtaView.Outputs(views, x, member.Model.call))
        {
            var logits = SliceTensors.ResizedTo(output, box);
            var probs = SliceTensors.PasteBack(logits.sigmoid(), box, height, width);
            sum = sum is null ? probs : sum + probs;
        }
        var mean = views.Count == 1 ? sum! : sum! / views.Count;
        return mean.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }
}
