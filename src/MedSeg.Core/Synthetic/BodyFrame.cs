using System.Numerics;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Maps body-relative coordinates to pixels: bu ∈ [-1, 1] across the body (image left to right), bv ∈ [-1, 1]
/// from front (top) to back, zn ∈ [0, 1] from the lowest to the highest slice (z = <see cref="Z0"/> + zn ×
/// <see cref="Depth"/>, in pixel units); radii are in units of <see cref="Scale"/>, the geometric mean of the body
/// semi-axes <see cref="Rx"/> and <see cref="Ry"/>.
/// </summary>
internal readonly record struct BodyFrame(float Cx, float Cy, float Rx, float Ry, float Depth, float Z0)
{
    public float Scale => MathF.Sqrt(Rx * Ry);

    /// <summary>The point (x, y, z, radius; all in pixels) for body-relative coordinates.</summary>
    public Vector4 At(float bu, float bv, float zn, float radius) => new(Cx + bu * Rx, Cy + bv * Ry, Z0 + zn * Depth, radius * Scale);
}
