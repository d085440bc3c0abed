namespace MedSeg.Core.Tuning;

/// <summary>
/// Prediction settings found on out-of-fold predictions: a probability threshold per class and a minimum pixel count
/// per slice, with the score they reach and the score of the defaults (threshold 0.5, no minimum) on the same data.
/// </summary>
public sealed record TunedSettings(IReadOnlyList<double> Thresholds, int MinPixels, double Score, double DefaultScore, int CaseDays);
