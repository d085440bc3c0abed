namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>A Kubernetes object's name and labels.</summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}
