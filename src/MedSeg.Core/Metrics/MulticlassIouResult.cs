namespace MedSeg.Core.Metrics;

/// <summary>The dataset-wide IoU of every class (<see cref="MulticlassIou"/>) and their mean.</summary>
/// <param name="Classes">Names by label value, background first.</param>
/// <param name="PerClass">IoU by label value; NaN for a class in neither prediction nor truth.</param>
/// <param name="Mean">Mean over the classes whose IoU is defined (mIoU).</param>
public sealed record MulticlassIouResult(IReadOnlyList<string> Classes, IReadOnlyList<double> PerClass, double Mean)
{
    /// <summary>Mean Dice over the same classes: per class 2·IoU / (1 + IoU), which is 2TP / (2TP + FP + FN) of the same counts.</summary>
    public double MeanDice => PerClass.Where(v => !double.IsNaN(v)).Select(v => 2 * v / (1 + v)).DefaultIfEmpty(double.NaN).Average();
}
