namespace MedSeg.Core.Volumes;

/// <summary>
/// Where a volume's voxels lie: its <see cref="Shape"/> and the <see cref="Affine"/> that maps a voxel index
/// (i, j, k) to RAS+ world coordinates in mm (x towards the patient's right, y anterior, z superior).
/// </summary>
public sealed record VolumeGeometry
{
    public VolumeGeometry(VolumeShape shape, Affine affine)
    {
        shape.Validate();
        ArgumentNullException.ThrowIfNull(affine);
        Shape = shape;
        Affine = affine;
    }

    public VolumeShape Shape { get; }

    public Affine Affine { get; }

    /// <summary>Voxel spacing in mm: the lengths of the affine's first three columns.</summary>
    public VoxelSpacing Spacing => Affine.Spacing;

    /// <summary>
    /// Whether <paramref name="other"/> has the same shape and an affine within <paramref name="toleranceMm"/> of
    /// this one in every entry (mm per voxel for the rotation-zoom part, mm for the origin).
    /// </summary>
    public bool Matches(VolumeGeometry other, double toleranceMm = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Shape == other.Shape && Affine.MaxDifference(other.Affine) <= toleranceMm;
    }
}
