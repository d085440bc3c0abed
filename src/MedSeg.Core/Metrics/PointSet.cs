namespace MedSeg.Core.Metrics;

/// <summary>Which voxels of a mask distances are measured between.</summary>
internal enum PointSet
{
    /// <summary>Surface voxels: the mask XOR its erosion by the 6-connected (4-connected in 2-D) cross.</summary>
    Surface,

    /// <summary>Every foreground voxel.</summary>
    Foreground,
}
