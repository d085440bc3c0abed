namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>A pod volume backed by a PersistentVolumeClaim (the shared storage every job reads and writes).</summary>
public sealed record Volume
{
    public string Name { get; init; } = "";
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }
}
