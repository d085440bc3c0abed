namespace MedSeg.Core.Cluster.Kubernetes;

/// <summary>A container: image, the command and its arguments (<c>$(VAR)</c> in them is expanded by Kubernetes), resources and mounts.</summary>
public sealed record Container
{
    public string Name { get; init; } = "";
    public string Image { get; init; } = "";
    public string? WorkingDir { get; init; }
    public List<string> Command { get; init; } = [];
    public List<string> Args { get; init; } = [];
    public ResourceRequirements? Resources { get; init; }
    public List<VolumeMount> VolumeMounts { get; init; } = [];
}
