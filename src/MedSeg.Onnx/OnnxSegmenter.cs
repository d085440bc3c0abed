using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Onnx;

/// <summary>
/// The per-class probabilities of a case-day from a weighted ensemble of ONNX models, computed as MedSeg.Torch's
/// <c>SliceSegmenter</c> does on TorchSharp tensors, on float arrays: 2D / 2.5D members take batches of slice stacks
/// (<see cref="SliceStack"/>: cut to the ROI box, normalised) resized to the network size (<see cref="BilinearResize"/>),
/// and their outputs are resized back to the box, turned into probabilities, pasted into the slice and averaged over
/// the test-time views (<see cref="TtaView"/>); 3D members take the whole normalised case-day
/// (<see cref="CaseDayVolume"/>) through a <see cref="VolumeSlidingWindow"/> whose window is the training patch, with the
/// views applied to every window. Members are averaged with their weights.
/// </summary>
public sealed class OnnxSegmenter
{
    private readonly IReadOnlyList<OnnxMember> members;
    private readonly IReadOnlyList<TtaView>[] views;
    private readonly OnnxSliceInputs?[] inputs;
    private readonly PredictOptions options;
    private readonly double weightSum;

    /// <param name="views">Per member, the test-time views averaged.</param>
    public OnnxSegmenter(IReadOnlyList<OnnxMember> members, IReadOnlyList<IReadOnlyList<TtaView>> views, PredictOptions options)
    {
        this.members = members;
        this.views = [.. views];
        this.options = options;
        Classes = members[0].Model.Classes;
        inputs = [.. members.Select(m => m.Model.Mode == "3d" ? null : new OnnxSliceInputs(m.Model))];
        weightSum = members.Sum(m => m.Weight);
    }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Per-class probabilities of a case-day, each D×H×W row-major in slice order.</summary>
    public float[][] Probabilities(UwCaseDay caseDay)
    {
        var first = caseDay.Slices[0];
        var voxels = caseDay.Slices.Count * first.Height * first.Width;
        var probabilities = Classes.Select(_ => new float[voxels]).ToArray();
        for (var m = 0; m < members.Count; m++)
        {
            var scale = (float)(members[m].Weight / weightSum);
            var values = inputs[m] is { } slices ? SliceProbabilities(m, slices, caseDay) : VolumeProbabilities(m, caseDay);
            for (var c = 0; c < Classes.Count; c++)
            {
                var target = probabilities[c];
                for (var v = 0; v < voxels; v++)
                {
                    target[v] += scale * values[c * voxels + v];
                }
            }
        }
        return probabilities;
    }

    /// <summary>A 2D / 2.5D member's probabilities, classes×D×H×W.</summary>
    private float[] SliceProbabilities(int m, OnnxSliceInputs slices, UwCaseDay caseDay)
    {
        var model = members[m].Model;
        var first = caseDay.Slices[0];
        var (depth, height, width) = (caseDay.Slices.Count, first.Height, first.Width);
        var (plane, classes, channels) = (height * width, Classes.Count, slices.Channels);
        var (h, w) = (model.InputSize[0], model.InputSize[1]);
        var box = slices.Stack.Reader.Box(caseDay);
        var result = new float[classes * depth * plane];
        for (var start = 0; start < depth; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, depth - start);
            var input = slices.Batch(caseDay, start, count, box);
            var sum = new float[count * classes * box.Pixels];
            foreach (var view in views[m])
            {
                var (vh, vw) = view.Rotations % 2 == 0 ? (h, w) : (w, h);
                var output = view.Invert(model.Run(view.Apply(input, count * channels, h, w), [count, channels, vh, vw]), count * classes, h, w);
                var probabilities = model.Probabilities(BilinearResize.Planes(output, count * classes, h, w, box.Height, box.Width));
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += probabilities[i];
                }
            }
            for (var i = 0; i < count; i++)
            {
                for (var c = 0; c < classes; c++)
                {
                    var target = result.AsSpan((c * depth + start + i) * plane, plane);
                    box.PasteBack<float>(sum.AsSpan((i * classes + c) * box.Pixels, box.Pixels), target, width);
                    if (views[m].Count > 1)
                    {
                        Divide(target, views[m].Count);
                    }
                }
            }
        }
        return result;
    }

    /// <summary>A 3D member's probabilities, classes×D×H×W, through the sliding window.</summary>
    private float[] VolumeProbabilities(int m, UwCaseDay caseDay)
    {
        var model = members[m].Model;
        var shape = CaseDayVolume.Shape(caseDay);
        var channels = caseDay.Channels;
        var window = model.InputSize;
        var (wd, wh, ww) = (window[0], window[1], window[2]);
        var classes = Classes.Count;
        var inferer = new VolumeSlidingWindow(window, options.Overlap, options.Blend, options.BatchSize);
        return inferer.Infer(CaseDayVolume.Image(caseDay, model.Normalisation), channels, shape.Depth, shape.Height, shape.Width, (windows, count) =>
        {
            var sum = new float[count * classes * wd * wh * ww];
            foreach (var view in views[m])
            {
                var (vh, vw) = view.Rotations % 2 == 0 ? (wh, ww) : (ww, wh);
                var output = model.Run(view.Apply(windows, count * channels * wd, wh, ww), [count, channels, wd, vh, vw]);
                var probabilities = model.Probabilities(view.Invert(output, count * classes * wd, wh, ww));
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += probabilities[i];
                }
            }
            if (views[m].Count > 1)
            {
                Divide(sum, views[m].Count);
            }
            return sum;
        });
    }

    private static void Divide(Span<float> values, int count)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= count;
        }
    }
}
