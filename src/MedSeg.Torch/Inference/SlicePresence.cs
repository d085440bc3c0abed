using MedSeg.Core.Data;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Per-class "this slice contains the class" probabilities of a classification run (<c>--arch classifier</c>):
/// the empty-slice gate of the 1st-place pipeline, and the classification run's own validation.
/// </summary>
public static class SlicePresence
{
    /// <summary>Sigmoid of the classifier's logits for every slice of <paramref name="caseDay"/>: [class][slice].</summary>
    public static float[][] Probabilities(EnsembleMember classifier, UwCaseDay caseDay, int batchSize, Device device)
    {
        var tensors = classifier.Config.InputTensors();
        var classes = classifier.Classes.Count;
        var depth = caseDay.Slices.Count;
        var result = Enumerable.Range(0, classes).Select(_ => new float[depth]).ToArray();
        for (var start = 0; start < depth; start += batchSize)
        {
            var count = Math.Min(batchSize, depth - start);
            var refs = Enumerable.Range(start, count).Select(i => new SliceRef(caseDay, i)).ToArray();
            var batch = PredictBatch(classifier, tensors, refs, device);
            for (var i = 0; i < count; i++)
            {
                for (var c = 0; c < classes; c++)
                {
                    result[c][start + i] = batch[i * classes + c];
                }
            }
        }
        return result;
    }

    private static float[] PredictBatch(EnsembleMember classifier, SliceTensors tensors, SliceRef[] refs, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = Autocast.For(classifier.Config.Precision);
        var logits = classifier.Model.call(tensors.Inputs(refs).to(device));
        return logits.sigmoid().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }
}
