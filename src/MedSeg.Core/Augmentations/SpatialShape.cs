namespace MedSeg.Core.Augmentations;

/// <summary>
/// The spatial size of an <see cref="AugmentationSample"/>: a plane H×W (<see cref="Dims"/> 2, <see cref="Depth"/> 1)
/// or a volume D×H×W (<see cref="Dims"/> 3). Axes are listed slowest first, as the data is laid out.
/// </summary>
public readonly record struct SpatialShape
{
    private SpatialShape(int dims, int depth, int height, int width)
    {
        if (depth < 1 || height < 1 || width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), $"sizes must be positive, not {depth}x{height}x{width}.");
        }
        Dims = dims;
        Depth = depth;
        Height = height;
        Width = width;
    }

    /// <summary>2 for a plane, 3 for a volume.</summary>
    public int Dims { get; }

    public int Depth { get; }

    public int Height { get; }

    public int Width { get; }

    public int PlaneSize => Height * Width;

    public int Voxels => Depth * PlaneSize;

    public static SpatialShape Plane(int height, int width) => new(2, 1, height, width);

    public static SpatialShape Volume(int depth, int height, int width) => new(3, depth, height, width);

    /// <summary>The shape of the same kind (plane or volume) from sizes listed as <see cref="Sizes"/> lists them.</summary>
    public static SpatialShape Of(IReadOnlyList<int> sizes) => sizes.Count switch
    {
        2 => Plane(sizes[0], sizes[1]),
        3 => Volume(sizes[0], sizes[1], sizes[2]),
        _ => throw new ArgumentException($"a spatial size has 2 or 3 axes, not {sizes.Count}.", nameof(sizes)),
    };

    /// <summary>[H, W] for a plane, [D, H, W] for a volume.</summary>
    public int[] Sizes => Dims == 2 ? [Height, Width] : [Depth, Height, Width];

    public override string ToString() => string.Join("x", Sizes);
}
