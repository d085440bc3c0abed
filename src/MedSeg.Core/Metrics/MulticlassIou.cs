namespace MedSeg.Core.Metrics;

/// <summary>
/// Mean IoU of mutually exclusive classes, as semantic segmentation reports it (CamVid, smp's example, torchmetrics'
/// JaccardIndex): per class IoU = TP / (TP + FP + FN) over every pixel of every image added (dataset-wide, not per
/// image), background (label 0) included as a class; the mean skips classes absent from both prediction and truth.
/// Images may be added from several threads.
/// </summary>
public sealed class MulticlassIou
{
    private readonly IReadOnlyList<string> _classes;
    private readonly long[] _truePositive;
    private readonly long[] _falsePositive;
    private readonly long[] _falseNegative;
    private readonly Lock _lock = new();

    /// <param name="classes">Names by label value, index 0 = background.</param>
    public MulticlassIou(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        _classes = classes;
        _truePositive = new long[classes.Count];
        _falsePositive = new long[classes.Count];
        _falseNegative = new long[classes.Count];
    }

    /// <summary>Adds one image's label maps (same length, values 0 … classes − 1).</summary>
    /// <exception cref="MedSegException">A value is not a class; the message names <paramref name="imageId"/>.</exception>
    public void Update(ReadOnlySpan<ushort> pred, ReadOnlySpan<ushort> truth, string imageId)
    {
        if (pred.Length != truth.Length)
        {
            throw new MedSegException($"The prediction of '{imageId}' has {pred.Length} pixels but its truth {truth.Length}; predict on the truth's size.");
        }
        long[] tp = new long[_classes.Count], fp = new long[_classes.Count], fn = new long[_classes.Count];
        LabelCounts.Add(pred, truth, tp, fp, fn, imageId);
        lock (_lock)
        {
            for (int k = 0; k < tp.Length; k++)
            {
                _truePositive[k] += tp[k];
                _falsePositive[k] += fp[k];
                _falseNegative[k] += fn[k];
            }
        }
    }

    /// <summary>Per-class IoU (NaN for a class in neither prediction nor truth) and their mean over the defined ones.</summary>
    public MulticlassIouResult Compute()
    {
        lock (_lock)
        {
            var perClass = new double[_classes.Count];
            for (int k = 0; k < perClass.Length; k++)
            {
                long union = _truePositive[k] + _falsePositive[k] + _falseNegative[k];
                perClass[k] = union == 0 ? double.NaN : (double)_truePositive[k] / union;
            }
            var defined = perClass.Where(v => !double.IsNaN(v)).ToArray();
            return new MulticlassIouResult(_classes, perClass, defined.Length == 0 ? double.NaN : defined.Average());
        }
    }
}
