namespace MedSeg.Core.Tuning;

/// <summary>One case-day to tune on: per-class probabilities and truth masks, each D×H×W row-major.</summary>
public sealed record TuningCase(string Id, int Depth, int Height, int Width, float[][] Probabilities, byte[][] Truth);
