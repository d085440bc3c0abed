namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>A <c>batch/v1</c> Job as <c>kubectl apply</c> reads it (the fields MedSeg writes; names as in the Kubernetes API).</summary>
public sealed record KubernetesJob
{
    public string ApiVersion { get; init; } = "batch/v1";
    public string Kind { get; init; } = "Job";
    public ObjectMeta Metadata { get; init; } = new();
    public JobSpec Spec { get; init; } = new();
}
