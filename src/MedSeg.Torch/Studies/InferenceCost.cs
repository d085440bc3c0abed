namespace MedSeg.Torch.Studies;

/// <summary>
/// What predicting the validation case-days cost through <see cref="Inference.SubmissionPredictor"/> (loading the run,
/// slices or the 3D sliding window, thresholds, RLE and the CSV): wall time in all, per slice and per case-day, and the
/// peak resident memory it added (<see cref="Benchmarks.PeakMemory"/>).
/// </summary>
public sealed record InferenceCost(double Seconds, double MsPerSlice, double MsPerCaseDay, double PeakMb)
{
    /// <summary>Peak GPU memory the prediction added on CUDA (<see cref="Benchmarks.GpuPeakMemory"/>); NaN on the CPU.</summary>
    public double GpuPeakMb { get; init; } = double.NaN;
}
