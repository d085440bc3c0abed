using MedSeg.Core.Inspection;

namespace MedSeg.Core.Cluster;

/// <summary>
/// What <c>medseg jobs</c> plans: <see cref="Configs"/> (train config files; none = the defaults) × <see cref="Folds"/>
/// folds trained from <see cref="Data"/>, tuned on their out-of-fold predictions, then <see cref="PredictData"/>
/// predicted in <see cref="Shards"/> shards and merged. Paths are as the jobs see them, relative to
/// <see cref="WorkDir"/> (the shared storage every job runs in) unless absolute. <see cref="Format"/> is the layout of
/// <see cref="Data"/> (<see cref="DatasetFormat.Auto"/>: recognised from the folder, which must then be on this machine).
/// </summary>
public sealed record JobPlanOptions
{
    public required string Data { get; init; }
    public required string PredictData { get; init; }
    public IReadOnlyList<string> Configs { get; init; } = [];
    public int Folds { get; init; } = 5;
    public int Shards { get; init; } = 4;
    public int Seed { get; init; } = 42;
    public string Device { get; init; } = "cpu";
    public DatasetFormat Format { get; init; } = DatasetFormat.Auto;
    public string WorkDir { get; init; } = DefaultWorkDir;
    public const string DefaultWorkDir = "/shared/medseg";
    /// <summary>The command that runs MedSeg on a node (Slurm) and in the container (Kubernetes).</summary>
    public string Medseg { get; init; } = "medseg";
    /// <summary>Container image holding MedSeg (Kubernetes).</summary>
    public string Image { get; init; } = "medseg:latest";
    /// <summary>PersistentVolumeClaim mounted at <see cref="WorkDir"/> in every pod (Kubernetes).</summary>
    public string VolumeClaim { get; init; } = "medseg-shared";
    /// <summary>CPU cores per task.</summary>
    public int Cpus { get; init; } = 4;
}
