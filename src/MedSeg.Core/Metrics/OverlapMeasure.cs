namespace MedSeg.Core.Metrics;

/// <summary>An overlap ratio of <see cref="ConfusionCounts"/>; see there for the definitions.</summary>
public enum OverlapMeasure
{
    /// <summary>2TP/(2TP+FP+FN).</summary>
    Dice,

    /// <summary>TP/(TP+FP+FN) (Jaccard).</summary>
    Iou,

    /// <summary>TP/(TP+FP).</summary>
    Precision,

    /// <summary>TP/(TP+FN) (sensitivity).</summary>
    Recall,

    /// <summary>Harmonic mean of precision and recall; equal to Dice for every set of counts.</summary>
    F1,

    /// <summary>TN/(TN+FP).</summary>
    Specificity,
}
