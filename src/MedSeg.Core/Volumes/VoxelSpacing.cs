using System.Globalization;

namespace MedSeg.Core.Volumes;

/// <summary>Distance in mm between neighbouring voxel centres along voxel axes X (i), Y (j) and Z (k).</summary>
public readonly record struct VoxelSpacing(double X, double Y, double Z)
{
    /// <summary>The spacing along voxel axis <paramref name="axis"/> (0 = X, 1 = Y, 2 = Z).</summary>
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "A volume has axes 0, 1 and 2."),
    };

    /// <summary>The spacings as an array [X, Y, Z] in mm.</summary>
    public double[] ToArray() => [X, Y, Z];

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X:0.###}×{Y:0.###}×{Z:0.###} mm");
}
