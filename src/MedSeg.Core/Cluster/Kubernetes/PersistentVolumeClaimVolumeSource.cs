namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>The claim a <see cref="Volume"/> mounts; ReadWriteMany storage lets every pod of every Job share it.</summary>
public sealed record PersistentVolumeClaimVolumeSource
{
    public string ClaimName { get; init; } = "";
}
