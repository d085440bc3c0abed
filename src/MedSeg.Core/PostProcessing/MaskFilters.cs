namespace MedSeg.Core.PostProcessing;

/// <summary>
/// In-place clean-ups of binary masks (2D H×W or 3D D×H×W, row-major, values 0/1) used after thresholding:
/// the post-processing steps of the UW-Madison winners and nnU-Net.
/// </summary>
public static class MaskFilters
{
    /// <summary>Removes connected components with fewer than <paramref name="minSize"/> voxels.</summary>
    public static void RemoveSmallComponents(Span<byte> mask, ReadOnlySpan<int> shape, int minSize, Connectivity connectivity)
    {
        var labels = ConnectedComponents.Label(mask, shape, connectivity, out var sizes);
        for (var i = 0; i < mask.Length; i++)
        {
            if (labels[i] != 0 && sizes[labels[i]] < minSize)
            {
                mask[i] = 0;
            }
        }
    }

    /// <summary>Keeps only the largest connected component (the first in raster order on ties).</summary>
    public static void KeepLargestComponent(Span<byte> mask, ReadOnlySpan<int> shape, Connectivity connectivity)
    {
        var labels = ConnectedComponents.Label(mask, shape, connectivity, out var sizes);
        var largest = 0;
        for (var k = 1; k < sizes.Length; k++)
        {
            largest = sizes[k] > sizes[largest] ? k : largest;
        }
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = labels[i] != 0 && labels[i] == largest ? (byte)1 : (byte)0;
        }
    }

    /// <summary>
    /// Fills holes: background components that do not touch the border of the image or volume become foreground.
    /// Background connectivity is the complement of <paramref name="connectivity"/> (faces for full, full for faces).
    /// </summary>
    public static void FillHoles(Span<byte> mask, ReadOnlySpan<int> shape, Connectivity connectivity)
    {
        var (depth, height, width) = ConnectedComponents.Dimensions(mask.Length, shape);
        var background = new byte[mask.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            background[i] = mask[i] == 0 ? (byte)1 : (byte)0;
        }
        var holes = connectivity == Connectivity.Full ? Connectivity.Faces : Connectivity.Full;
        var labels = ConnectedComponents.Label(background, shape, holes, out var sizes);
        var touches = new bool[sizes.Length];
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var border = x == 0 || y == 0 || x == width - 1 || y == height - 1 || (shape.Length == 3 && (z == 0 || z == depth - 1));
                    if (border)
                    {
                        touches[labels[(z * height + y) * width + x]] = true;
                    }
                }
            }
        }
        for (var i = 0; i < mask.Length; i++)
        {
            if (labels[i] != 0 && !touches[labels[i]])
            {
                mask[i] = 1;
            }
        }
    }

    /// <summary>Clears every slice of a D×H×W mask on which fewer than <paramref name="minPixels"/> pixels are set.</summary>
    public static void ClearSparseSlices(Span<byte> mask, int depth, int minPixels)
    {
        var plane = mask.Length / depth;
        for (var s = 0; s < depth; s++)
        {
            var slice = mask.Slice(s * plane, plane);
            if (slice.Length - slice.Count((byte)0) < minPixels)
            {
                slice.Clear();
            }
        }
    }

    /// <summary>
    /// Slice-range truncation (the 15th-place idea): keeps the longest run of non-empty slices of a D×H×W mask,
    /// where runs may bridge up to <paramref name="maxGap"/> empty slices, and clears every slice outside it.
    /// </summary>
    public static void KeepLongestSliceRun(Span<byte> mask, int depth, int maxGap)
    {
        var plane = mask.Length / depth;
        var occupied = new bool[depth];
        for (var s = 0; s < depth; s++)
        {
            occupied[s] = mask.Slice(s * plane, plane).ContainsAnyExcept((byte)0);
        }
        int bestStart = -1, bestEnd = -1, start = -1, last = -1;
        for (var s = 0; s <= depth; s++)
        {
            if (s < depth && !occupied[s])
            {
                continue;
            }
            if (start >= 0 && (s == depth || s - last - 1 > maxGap))
            {
                if (last - start > bestEnd - bestStart)
                {
                    (bestStart, bestEnd) = (start, last);
                }
                start = -1;
            }
            if (s < depth)
            {
                start = start < 0 ? s : start;
                last = s;
            }
        }
        for (var s = 0; s < depth; s++)
        {
            if (s < bestStart || s > bestEnd)
            {
                mask.Slice(s * plane, plane).Clear();
            }
        }
    }
}
