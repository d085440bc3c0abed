namespace MedSeg.Core.Benchmarks;

/// <summary>
/// Organ-like binary masks drawn straight into D×H×W row-major byte volumes for benchmarks: ellipsoids with a
/// wavy surface (stomach, small bowel) and a thick C-shaped tube (large bowel). Only the shape's bounding box is
/// visited, so drawing costs little next to the metrics being measured.
/// </summary>
internal static class SyntheticOrgans
{
    /// <summary>Sets the voxels of an ellipsoid at (cd, ch, cw) with radii (rd, rh, rw) in voxels, its surface rippled by ±8 %.</summary>
    public static void Ellipsoid(Span<byte> mask, int depth, int height, int width, double cd, double ch, double cw, double rd, double rh, double rw)
    {
        double reach = 1.1;
        (int d0, int d1) = Range(cd, rd * reach, depth);
        (int h0, int h1) = Range(ch, rh * reach, height);
        (int w0, int w1) = Range(cw, rw * reach, width);
        // The ripple 0.08·sin(0.2h)·cos(0.15w) depends on the row and column only.
        double[] rowRipple = new double[h1], columnRipple = new double[w1];
        for (int h = h0; h < h1; h++)
        {
            rowRipple[h] = 0.08 * Math.Sin(h * 0.2);
        }
        for (int w = w0; w < w1; w++)
        {
            columnRipple[w] = Math.Cos(w * 0.15);
        }
        for (int d = d0; d < d1; d++)
        {
            double z = (d - cd) / rd;
            for (int h = h0; h < h1; h++)
            {
                double y = (h - ch) / rh;
                Span<byte> row = mask.Slice((d * height + h) * width, width);
                for (int w = w0; w < w1; w++)
                {
                    double x = (w - cw) / rw;
                    if (x * x + y * y + z * z <= 1 + rowRipple[h] * columnRipple[w])
                    {
                        row[w] = 1;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Sets the voxels of a tube of in-plane thickness <paramref name="thickness"/> along a ring of radius
    /// <paramref name="radius"/> around (ch, cw), open on the side facing +h (a C shape), on slices d0 … d1 − 1.
    /// </summary>
    public static void CShape(Span<byte> mask, int depth, int height, int width, int d0, int d1, double ch, double cw, double radius, double thickness)
    {
        (int h0, int h1) = Range(ch, radius + thickness, height);
        (int w0, int w1) = Range(cw, radius + thickness, width);
        double inner = radius - thickness / 2, outer = radius + thickness / 2;
        for (int d = Math.Max(0, d0); d < Math.Min(depth, d1); d++)
        {
            for (int h = h0; h < h1; h++)
            {
                Span<byte> row = mask.Slice((d * height + h) * width, width);
                for (int w = w0; w < w1; w++)
                {
                    double dy = h - ch, dx = w - cw;
                    double r = Math.Sqrt(dy * dy + dx * dx);
                    if (r >= inner && r <= outer && !(dy > 0 && Math.Abs(dx) < 0.5 * radius))
                    {
                        row[w] = 1;
                    }
                }
            }
        }
    }

    private static (int Start, int End) Range(double centre, double reach, int extent) =>
        (Math.Clamp((int)Math.Floor(centre - reach), 0, extent), Math.Clamp((int)Math.Ceiling(centre + reach) + 1, 0, extent));
}
