namespace MedSeg.Tests.Core.Metrics;

/// <summary>Slow, obviously correct reference implementations the fast metrics are checked against.</summary>
internal static class BruteForce
{
    /// <summary>Random binary mask with roughly <paramref name="density"/> of its voxels set.</summary>
    public static byte[] RandomMask(Random random, int count, double density)
    {
        var mask = new byte[count];
        for (int i = 0; i < count; i++)
        {
            mask[i] = random.NextDouble() < density ? (byte)random.Next(1, 256) : (byte)0;
        }
        return mask;
    }

    /// <summary>Index coordinates of voxel <paramref name="index"/> in a row-major volume of <paramref name="shape"/>.</summary>
    public static int[] Coordinates(int index, int[] shape)
    {
        var coordinates = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            coordinates[axis] = index % shape[axis];
            index /= shape[axis];
        }
        return coordinates;
    }

    /// <summary>Squared distance between two voxels in spacing units.</summary>
    public static double SquaredDistance(int a, int b, int[] shape, double[] spacing)
    {
        int[] ca = Coordinates(a, shape), cb = Coordinates(b, shape);
        double sum = 0;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            double delta = (ca[axis] - cb[axis]) * spacing[axis];
            sum += delta * delta;
        }
        return sum;
    }

    /// <summary>Squared distance of every voxel to the nearest nonzero voxel, by trying them all.</summary>
    public static double[] SquaredDistanceTransform(byte[] mask, int[] shape, double[] spacing)
    {
        var result = new double[mask.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < mask.Length; j++)
            {
                if (mask[j] != 0)
                {
                    best = Math.Min(best, SquaredDistance(i, j, shape, spacing));
                }
            }
            result[i] = best;
        }
        return result;
    }

    /// <summary>Mask XOR its erosion by the axis-aligned cross; outside the volume is background.</summary>
    public static byte[] Surface(byte[] mask, int[] shape)
    {
        var surface = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0)
            {
                continue;
            }
            int[] c = Coordinates(i, shape);
            bool interior = true;
            for (int axis = 0; axis < shape.Length && interior; axis++)
            {
                foreach (int step in new[] { -1, 1 })
                {
                    int[] n = (int[])c.Clone();
                    n[axis] += step;
                    if (n[axis] < 0 || n[axis] >= shape[axis] || mask[Index(n, shape)] == 0)
                    {
                        interior = false;
                    }
                }
            }
            surface[i] = interior ? (byte)0 : (byte)1;
        }
        return surface;
    }

    /// <summary>Distance from each point of <paramref name="from"/> to the nearest point of <paramref name="to"/>.</summary>
    public static List<double> DirectedDistances(byte[] from, byte[] to, int[] shape, double[] spacing)
    {
        var distances = new List<double>();
        for (int i = 0; i < from.Length; i++)
        {
            if (from[i] == 0)
            {
                continue;
            }
            double best = double.PositiveInfinity;
            for (int j = 0; j < to.Length; j++)
            {
                if (to[j] != 0)
                {
                    best = Math.Min(best, SquaredDistance(i, j, shape, spacing));
                }
            }
            distances.Add(Math.Sqrt(best));
        }
        return distances;
    }

    /// <summary><c>numpy.percentile</c> with its default linear interpolation.</summary>
    public static double Percentile(List<double> values, double percent)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        double position = percent / 100 * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    private static int Index(int[] coordinates, int[] shape)
    {
        int index = 0;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            index = index * shape[axis] + coordinates[axis];
        }
        return index;
    }
}
