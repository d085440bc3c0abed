namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>The pod each index of a Job runs.</summary>
public sealed record PodTemplateSpec
{
    public ObjectMeta? Metadata { get; init; }
    public PodSpec Spec { get; init; } = new();
}
