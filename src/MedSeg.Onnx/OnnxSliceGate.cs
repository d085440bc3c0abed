using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Onnx;

/// <summary>
/// The empty-slice gate of the 1st-place UW-Madison pipeline on ONNX Runtime: an exported classification run
/// (<c>medseg train --arch classifier</c>, then <c>medseg export</c>) calls each class present or absent on each slice
/// (its sigmoid probability against the run's threshold), as MedSeg.Torch's <c>SlicePresence</c> does. Disposing
/// releases the network.
/// </summary>
public sealed class OnnxSliceGate : IDisposable
{
    private readonly OnnxModel model;
    private readonly OnnxSliceInputs inputs;

    private OnnxSliceGate(OnnxModel model)
    {
        this.model = model;
        inputs = new OnnxSliceInputs(model);
    }

    /// <summary>The classes the gate decides on.</summary>
    public IReadOnlyList<string> Classes => model.Classes;

    /// <summary>Opens the gate at <paramref name="path"/> (a bundle or .onnx file of a classification run, given as <c>--gate</c>).</summary>
    /// <exception cref="MedSegException">The file is missing, changed, or not a 2D / 2.5D classification model.</exception>
    public static OnnxSliceGate Open(string path)
    {
        var model = OnnxModel.Open(path, OnnxModel.Classification, "--gate");
        if (model.Multiclass)
        {
            model.Dispose();
            throw new MedSegException($"--gate {path} has a softmax output; the gate is a classification run with one sigmoid per class (medseg train --arch classifier).");
        }
        if (model.Mode == "3d")
        {
            model.Dispose();
            throw new MedSegException($"--gate {path} is a 3D model; the gate classifies slices, so train it in 2D or 2.5D (medseg train --arch classifier --mode 2d).");
        }
        return new OnnxSliceGate(model);
    }

    /// <summary>Per class, per slice of <paramref name="caseDay"/>: whether the gate calls the class present ([class][slice]).</summary>
    public bool[][] Decisions(UwCaseDay caseDay, int batchSize)
    {
        var (classes, depth) = (Classes.Count, caseDay.Slices.Count);
        var (h, w) = (model.InputSize[0], model.InputSize[1]);
        var box = inputs.Stack.Reader.Box(caseDay);
        var present = Enumerable.Range(0, classes).Select(_ => new bool[depth]).ToArray();
        for (var start = 0; start < depth; start += batchSize)
        {
            var count = Math.Min(batchSize, depth - start);
            var probabilities = model.Probabilities(model.Run(inputs.Batch(caseDay, start, count, box), [count, inputs.Channels, h, w]));
            for (var i = 0; i < count; i++)
            {
                for (var c = 0; c < classes; c++)
                {
                    present[c][start + i] = probabilities[i * classes + c] >= model.Threshold;
                }
            }
        }
        return present;
    }

    public void Dispose() => model.Dispose();
}
