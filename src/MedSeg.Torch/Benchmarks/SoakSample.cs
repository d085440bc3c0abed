namespace MedSeg.Torch.Benchmarks;

/// <summary>One reading of a <see cref="SoakBenchmark"/>: after <paramref name="Count"/> training steps or inference passes.</summary>
/// <param name="Stage"><c>train</c> or <c>infer</c>.</param>
/// <param name="RssMb">Resident memory after a full GC and <c>malloc_trim</c> (NaN off Linux).</param>
/// <param name="LiveTensors">libtorch tensors alive (TorchSharp's count) after the GC.</param>
public sealed record SoakSample(string Stage, int Count, double RssMb, long LiveTensors);
