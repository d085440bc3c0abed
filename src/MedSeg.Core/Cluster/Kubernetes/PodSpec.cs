namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>A pod's containers and volumes; Job pods must not restart in place (<c>Never</c>), the Job retries the index.</summary>
public sealed record PodSpec
{
    public string RestartPolicy { get; init; } = "Never";
    public List<Container> Containers { get; init; } = [];
    public List<Volume> Volumes { get; init; } = [];
}
