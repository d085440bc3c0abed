namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>
/// An Indexed Job's spec: <see cref="Completions"/> pods, each with its completion index 0..N-1 in the environment
/// variable <c>JOB_COMPLETION_INDEX</c>; a failed index is retried up to <see cref="BackoffLimitPerIndex"/> times.
/// </summary>
public sealed record JobSpec
{
    public string CompletionMode { get; init; } = "Indexed";
    public int Completions { get; init; } = 1;
    public int Parallelism { get; init; } = 1;
    public int? BackoffLimitPerIndex { get; init; }
    public PodTemplateSpec Template { get; init; } = new();
}
