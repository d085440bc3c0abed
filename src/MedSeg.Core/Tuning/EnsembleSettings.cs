namespace MedSeg.Core.Tuning;

/// <summary>
/// An ensemble file written by <c>medseg tune --oof RUN1 --oof RUN2 ... --out ENSEMBLE.json</c> and read by
/// <c>medseg predict --model ENSEMBLE.json</c>: the run folders (relative to the file's folder), their weights in the
/// probability average, and the thresholds and minimum pixel count tuned on the blend, with the out-of-fold score
/// they reach and the score of equal weights at the default settings.
/// </summary>
public sealed record EnsembleSettings(IReadOnlyList<string> Models, IReadOnlyList<double> Weights, IReadOnlyList<double> Thresholds,
    int MinPixels, double Score, double DefaultScore, int CaseDays);
