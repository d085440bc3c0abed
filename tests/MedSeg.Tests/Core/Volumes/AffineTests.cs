using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Volumes;

public class AffineTests
{
    private static readonly Affine Oblique = Affine.FromRows([0, -3, 0, 10, 2, 0, 0, 20, 0, 0, -4, 30]);

    [Fact]
    public void Apply_maps_a_voxel_index_to_world_millimetres()
    {
        Assert.Equal((10.0, 20.0, 30.0), Oblique.Apply(0, 0, 0));
        // i = 1 moves 2 mm along y, j = 1 moves −3 mm along x, k = 1 moves −4 mm along z.
        Assert.Equal((10.0 - 3, 20.0 + 2, 30.0 - 4), Oblique.Apply(1, 1, 1));
    }

    [Fact]
    public void Spacing_is_the_length_of_each_column()
    {
        Assert.Equal(new VoxelSpacing(2, 3, 4), Oblique.Spacing);
        var tilted = Affine.FromRows([0.6, 0, 0, 0, 0.8, 0, 0, 0, 0, 0, 1.5, 0]);
        Assert.Equal(1.0, tilted.Spacing.X, 12);
    }

    [Fact]
    public void Inverse_undoes_the_transform_and_multiply_composes()
    {
        var inverse = Oblique.Inverse();
        var (x, y, z) = Oblique.Apply(3, -2, 5);
        var (i, j, k) = inverse.Apply(x, y, z);
        Assert.Equal(3, i, 12);
        Assert.Equal(-2, j, 12);
        Assert.Equal(5, k, 12);
        Assert.True(Oblique.Multiply(inverse).MaxDifference(Affine.Identity) < 1e-12);
        Assert.Equal(-24, Oblique.Determinant, 12);
    }

    [Fact]
    public void Singular_affine_has_no_inverse()
    {
        Assert.Throws<InvalidOperationException>(() => Affine.Diagonal(1, 0, 1).Inverse());
    }
}
