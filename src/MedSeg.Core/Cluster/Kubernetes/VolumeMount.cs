namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>Where a pod volume appears in a container.</summary>
public sealed record VolumeMount
{
    public string Name { get; init; } = "";
    public string MountPath { get; init; } = "";
}
