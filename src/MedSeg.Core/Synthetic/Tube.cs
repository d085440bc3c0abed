using System.Numerics;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// A 3-D tube: a polyline of points (x, y in pixels, z in the same pixel units) with a radius per point, i.e. the
/// union of capsules around its segments. Organs, vessels and bones are tubes; an axial slice cuts circles where
/// the tube runs along z and elongated bands where it runs in-plane.
/// </summary>
internal sealed class Tube
{
    private readonly Vector4[] _points; // x, y, z, radius

    public Tube(Vector4[] points)
    {
        if (points.Length < 2)
        {
            throw new ArgumentException("A tube needs at least two points.", nameof(points));
        }
        _points = points;
    }

    /// <summary>A tube through <paramref name="control"/> points, smoothed by Catmull–Rom interpolation with <paramref name="samplesPerSpan"/> samples per span.</summary>
    public static Tube Smooth(IReadOnlyList<Vector4> control, int samplesPerSpan)
    {
        var points = new List<Vector4>();
        for (int i = 0; i + 1 < control.Count; i++)
        {
            Vector4 p0 = control[Math.Max(0, i - 1)], p1 = control[i], p2 = control[i + 1], p3 = control[Math.Min(control.Count - 1, i + 2)];
            for (int s = 0; s < samplesPerSpan; s++)
            {
                float u = (float)s / samplesPerSpan;
                points.Add(CatmullRom(p0, p1, p2, p3, u));
            }
        }
        points.Add(control[^1]);
        for (int i = 0; i < points.Count; i++)
        {
            points[i] = points[i] with { W = MathF.Max(points[i].W, 0.5f) };
        }
        return new Tube([.. points]);
    }

    /// <summary>
    /// Multiplies the radius by 1 + <paramref name="amplitude"/>·sin(2π·s/<paramref name="period"/>) along the arc
    /// length s (pixels): the haustra of the colon.
    /// </summary>
    public Tube WithRadiusWaves(float amplitude, float period, float phase)
    {
        var points = (Vector4[])_points.Clone();
        float s = 0;
        for (int i = 0; i < points.Length; i++)
        {
            if (i > 0)
            {
                s += Vector3.Distance(AsVector3(_points[i - 1]), AsVector3(_points[i]));
            }
            points[i].W *= 1 + amplitude * MathF.Sin(2 * MathF.PI * s / period + phase);
        }
        return new Tube(points);
    }

    /// <summary>
    /// Writes into <paramref name="distance"/> (H×W, row-major) the minimum of its value and the signed distance in
    /// pixels from each pixel of the plane at depth <paramref name="z"/> to the tube surface (negative inside),
    /// for pixels within <paramref name="margin"/> of the tube. Returns the box of pixels touched.
    /// </summary>
    public PixelBox Rasterize(float z, Span<float> distance, int height, int width, float margin)
    {
        var box = PixelBox.Empty;
        for (int i = 0; i + 1 < _points.Length; i++)
        {
            Vector4 a = _points[i], b = _points[i + 1];
            float reach = MathF.Max(a.W, b.W) + margin;
            if (MathF.Min(a.Z, b.Z) > z + reach || MathF.Max(a.Z, b.Z) < z - reach)
            {
                continue;
            }
            // The part of the segment within `reach` of the plane bounds the pixels it can touch.
            float t0 = 0, t1 = 1;
            if (MathF.Abs(b.Z - a.Z) > 1e-4f)
            {
                t0 = (z - reach - a.Z) / (b.Z - a.Z);
                t1 = (z + reach - a.Z) / (b.Z - a.Z);
                if (t0 > t1)
                {
                    (t0, t1) = (t1, t0);
                }
                t0 = Math.Clamp(t0, 0, 1);
                t1 = Math.Clamp(t1, 0, 1);
            }
            Vector4 p = Vector4.Lerp(a, b, t0), q = Vector4.Lerp(a, b, t1);
            var segmentBox = PixelBox.Around(
                MathF.Min(p.X, q.X) - reach, MathF.Min(p.Y, q.Y) - reach, MathF.Max(p.X, q.X) + reach, MathF.Max(p.Y, q.Y) + reach, height, width);
            if (segmentBox.IsEmpty)
            {
                continue;
            }
            RasterizeSegment(a, b, z, distance, width, segmentBox);
            box = box.Union(segmentBox);
        }
        return box;
    }

    private static void RasterizeSegment(Vector4 a, Vector4 b, float z, Span<float> distance, int width, PixelBox box)
    {
        float abx = b.X - a.X, aby = b.Y - a.Y, abz = b.Z - a.Z, dr = b.W - a.W;
        float length2 = abx * abx + aby * aby + abz * abz;
        float inverse = length2 > 1e-8f ? 1 / length2 : 0;
        float pz = z - a.Z;
        for (int y = box.Y0; y < box.Y1; y++)
        {
            float py = y - a.Y;
            Span<float> row = distance.Slice(y * width, width);
            for (int x = box.X0; x < box.X1; x++)
            {
                float px = x - a.X;
                float t = Math.Clamp((px * abx + py * aby + pz * abz) * inverse, 0, 1);
                float dx = px - t * abx, dy = py - t * aby, dz = pz - t * abz;
                float d = MathF.Sqrt(dx * dx + dy * dy + dz * dz) - (a.W + t * dr);
                if (d < row[x])
                {
                    row[x] = d;
                }
            }
        }
    }

    private static Vector4 CatmullRom(Vector4 p0, Vector4 p1, Vector4 p2, Vector4 p3, float u)
    {
        float u2 = u * u, u3 = u2 * u;
        return 0.5f * (2 * p1 + (p2 - p0) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2 + (3 * p1 - p0 - 3 * p2 + p3) * u3);
    }

    private static Vector3 AsVector3(Vector4 v) => new(v.X, v.Y, v.Z);
}
