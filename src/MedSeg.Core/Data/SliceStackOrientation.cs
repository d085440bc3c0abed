using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// Maps a volume on any voxel grid to the slice stack the networks are trained on and back, exactly (voxels are
/// only reordered): UW-Madison's axial stacks, D×H×W row-major with slices running towards the head, rows towards
/// the patient's back and columns towards the patient's left (LPS, as a DICOM-derived axial series). The volume is
/// first brought to canonical RAS+ (<see cref="Reorientation"/>), then its x and y axes are reversed.
/// </summary>
public sealed class SliceStackOrientation
{
    private readonly Reorientation reorientation;

    public SliceStackOrientation(VolumeGeometry geometry)
    {
        reorientation = Reorientation.ToCanonical(geometry);
        var shape = reorientation.Canonical.Shape;
        (Depth, Height, Width) = (shape.Z, shape.Y, shape.X);
        var spacing = reorientation.Canonical.Spacing;
        (RowSpacing, ColumnSpacing) = (spacing.Y, spacing.X);
        Grid = new SliceStackGrid(Depth, Height, Width, new StackSpacing(spacing.Z, spacing.Y, spacing.X));
    }

    /// <summary>The stack's grid and spacing (slice distance × row × column distance).</summary>
    public SliceStackGrid Grid { get; }

    /// <summary>Every channel of <paramref name="volume"/> as a D×H×W stack.</summary>
    public float[][] ToStacks(Volume<float> volume) => [.. Enumerable.Range(0, volume.Channels).Select(c => ToStack(volume, c))];

    /// <summary>Distance between rows of a slice in mm.</summary>
    public double RowSpacing { get; }

    /// <summary>Distance between columns of a slice in mm.</summary>
    public double ColumnSpacing { get; }

    /// <summary>Slices in the stack.</summary>
    public int Depth { get; }

    /// <summary>Rows of a slice.</summary>
    public int Height { get; }

    /// <summary>Columns of a slice.</summary>
    public int Width { get; }

    /// <summary>Channel <paramref name="channel"/> of <paramref name="volume"/> (on the grid given to the constructor) as a D×H×W stack.</summary>
    public T[] ToStack<T>(Volume<T> volume, int channel = 0) where T : unmanaged
    {
        var canonical = reorientation.Apply(volume).Channel(channel);
        var stack = new T[canonical.Length];
        for (var d = 0; d < Depth; d++)
        {
            for (var h = 0; h < Height; h++)
            {
                for (var w = 0; w < Width; w++)
                {
                    stack[(d * Height + h) * Width + w] = canonical[CanonicalIndex(d, h, w)];
                }
            }
        }
        return stack;
    }

    /// <summary>A D×H×W stack (e.g. a predicted label map) as a volume on the original grid and affine.</summary>
    public Volume<T> FromStack<T>(T[] stack) where T : unmanaged
    {
        if (stack.Length != Depth * Height * Width)
        {
            throw new ArgumentException($"the stack has {stack.Length} voxels but the volume's slice stack is {Depth}x{Height}x{Width}.", nameof(stack));
        }
        var canonical = new Volume<T>(reorientation.Canonical);
        for (var d = 0; d < Depth; d++)
        {
            for (var h = 0; h < Height; h++)
            {
                for (var w = 0; w < Width; w++)
                {
                    canonical.Voxels[CanonicalIndex(d, h, w)] = stack[(d * Height + h) * Width + w];
                }
            }
        }
        return reorientation.Undo(canonical);
    }

    /// <summary>The canonical (RAS+, x fastest) index of stack voxel (d, h, w): columns run along −x, rows along −y.</summary>
    private int CanonicalIndex(int d, int h, int w) => Width - 1 - w + Width * (Height - 1 - h + Height * d);
}
