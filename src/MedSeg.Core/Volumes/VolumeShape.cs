namespace MedSeg.Core.Volumes;

/// <summary>
/// The number of voxels along each voxel axis of a volume, in NIfTI order: <see cref="X"/> (i, fastest in memory),
/// <see cref="Y"/> (j), <see cref="Z"/> (k, slowest). For an axial MRI stack that is columns, rows and slices.
/// </summary>
public readonly record struct VolumeShape(int X, int Y, int Z)
{
    /// <summary>Voxels in one channel, X·Y·Z.</summary>
    public long VoxelCount => (long)X * Y * Z;

    /// <summary>The size along voxel axis <paramref name="axis"/> (0 = X, 1 = Y, 2 = Z).</summary>
    public int this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "A volume has axes 0, 1 and 2."),
    };

    /// <summary>The sizes as an array [X, Y, Z].</summary>
    public int[] ToArray() => [X, Y, Z];

    /// <summary>Throws unless every size is at least 1.</summary>
    public void Validate()
    {
        if (X < 1 || Y < 1 || Z < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(VolumeShape), this, "Every axis of a volume needs at least one voxel.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{X}×{Y}×{Z}";
}
