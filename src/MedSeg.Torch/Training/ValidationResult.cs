namespace MedSeg.Torch.Training;

/// <summary>
/// A validation pass: <paramref name="Score"/> is what model selection and early stopping maximise (uwmgi for
/// segmentation, mean per-class F1 for classification); <paramref name="Dice"/> and <paramref name="Hausdorff"/>
/// are NaN where a task has none.
/// </summary>
public sealed record ValidationResult(double Score, double Dice, double Hausdorff);
