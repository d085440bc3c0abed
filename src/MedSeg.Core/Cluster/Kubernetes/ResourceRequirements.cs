namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>Resource requests and limits as quantities (<c>cpu: "4"</c>, <c>nvidia.com/gpu: "1"</c>).</summary>
public sealed record ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; init; }
    public Dictionary<string, string>? Limits { get; init; }
}
