using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// What training one mode cost. <paramref name="SecondsPerExamplePerEpoch"/> (Avesta et al.'s time per example per
/// epoch) is the time of the training steps (batches, forward, backward, optimiser; no validation or checkpoints)
/// divided by the examples they processed — a slice in 2D, a slice stack in 2.5D, a patch in 3D — over the epochs
/// after the first (which also pays one-time costs: cold slice cache, kernel selection) when there are more than one.
/// <paramref name="SecondsPerSlicePerEpoch"/> divides the same step time by the slices of the training case-days, so
/// modes whose examples differ in size compare per pass over the training slices. <paramref name="Seconds"/> is the
/// whole run's wall time and <paramref name="PeakMb"/> the peak resident memory it added (<see cref="Benchmarks.PeakMemory"/>).
/// </summary>
public sealed record TrainingCost(double Seconds, double SecondsPerExamplePerEpoch, int ExamplesPerEpoch, double SecondsPerSlicePerEpoch, double PeakMb)
{
    /// <summary>Peak GPU memory the run added on CUDA (<see cref="Benchmarks.GpuPeakMemory"/>); NaN on the CPU.</summary>
    public double GpuPeakMb { get; init; } = double.NaN;

    /// <param name="epochs">The run's epoch records (at least one).</param>
    /// <param name="trainingSlices">Slices of the training case-days.</param>
    /// <param name="seconds">Wall time of the whole run.</param>
    /// <param name="peakMb">Peak resident memory the run added.</param>
    public static TrainingCost From(IReadOnlyList<EpochRecord> epochs, int trainingSlices, double seconds, double peakMb)
    {
        ArgumentOutOfRangeException.ThrowIfZero(epochs.Count);
        var timed = epochs.Count > 1 ? epochs.Skip(1).ToArray() : [.. epochs];
        var stepSeconds = timed.Sum(e => e.TrainSeconds);
        return new TrainingCost(seconds, stepSeconds / timed.Sum(e => e.Samples), epochs[0].Samples,
            stepSeconds / timed.Length / trainingSlices, peakMb);
    }
}
