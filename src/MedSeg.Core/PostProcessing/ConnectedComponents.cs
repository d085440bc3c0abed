namespace MedSeg.Core.PostProcessing;

/// <summary>
/// Labels the connected components of a binary mask (2D H×W or 3D D×H×W, row-major, nonzero = foreground) with a
/// two-pass union-find scan; labels are 1..count in raster order of each component's first voxel, 0 is background.
/// </summary>
public static class ConnectedComponents
{
    /// <summary>Component label per voxel; <paramref name="sizes"/>[k] is the voxel count of label k (index 0 unused).</summary>
    public static int[] Label(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, Connectivity connectivity, out int[] sizes)
    {
        var (depth, height, width) = Dimensions(mask.Length, shape);
        var offsets = PreviousNeighbours(connectivity, shape.Length);
        var labels = new int[mask.Length];
        var parent = new List<int> { 0 };
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var i = (z * height + y) * width + x;
                    if (mask[i] == 0)
                    {
                        continue;
                    }
                    var label = 0;
                    foreach (var (dz, dy, dx) in offsets)
                    {
                        int nz = z + dz, ny = y + dy, nx = x + dx;
                        if (nz < 0 || ny < 0 || ny >= height || nx < 0 || nx >= width)
                        {
                            continue;
                        }
                        var neighbour = labels[(nz * height + ny) * width + nx];
                        if (neighbour == 0)
                        {
                            continue;
                        }
                        label = label == 0 ? Find(parent, neighbour) : Union(parent, label, neighbour);
                    }
                    if (label == 0)
                    {
                        label = parent.Count;
                        parent.Add(label);
                    }
                    labels[i] = label;
                }
            }
        }
        return Relabel(labels, parent, out sizes);
    }

    private static int[] Relabel(int[] labels, List<int> parent, out int[] sizes)
    {
        var final = new int[parent.Count];
        var counts = new List<int> { 0 };
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == 0)
            {
                continue;
            }
            var root = Find(parent, labels[i]);
            if (final[root] == 0)
            {
                final[root] = counts.Count;
                counts.Add(0);
            }
            labels[i] = final[root];
            counts[labels[i]]++;
        }
        sizes = [.. counts];
        return labels;
    }

    private static int Find(List<int> parent, int label)
    {
        while (parent[label] != label)
        {
            parent[label] = parent[parent[label]];
            label = parent[label];
        }
        return label;
    }

    private static int Union(List<int> parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a == b)
        {
            return a;
        }
        var (low, high) = a < b ? (a, b) : (b, a);
        parent[high] = low;
        return low;
    }

    /// <summary>Offsets (dz, dy, dx) of the neighbours already visited in raster order.</summary>
    private static (int, int, int)[] PreviousNeighbours(Connectivity connectivity, int dims)
    {
        var offsets = new List<(int, int, int)>();
        for (var dz = dims == 3 ? -1 : 0; dz <= 0; dz++)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var before = dz < 0 || (dz == 0 && (dy < 0 || (dy == 0 && dx < 0)));
                    var faces = Math.Abs(dz) + Math.Abs(dy) + Math.Abs(dx) == 1;
                    if (before && (connectivity == Connectivity.Full || faces))
                    {
                        offsets.Add((dz, dy, dx));
                    }
                }
            }
        }
        return [.. offsets];
    }

    internal static (int Depth, int Height, int Width) Dimensions(int length, ReadOnlySpan<int> shape)
    {
        var dims = shape.Length switch
        {
            2 => (1, shape[0], shape[1]),
            3 => (shape[0], shape[1], shape[2]),
            _ => throw new ArgumentException($"shape must have 2 or 3 dimensions, not {shape.Length}", nameof(shape)),
        };
        if ((long)dims.Item1 * dims.Item2 * dims.Item3 != length)
        {
            throw new ArgumentException($"mask has {length} voxels but the shape holds {(long)dims.Item1 * dims.Item2 * dims.Item3}", nameof(shape));
        }
        return dims;
    }
}
