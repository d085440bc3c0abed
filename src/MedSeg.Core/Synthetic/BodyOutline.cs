namespace MedSeg.Core.Synthetic;

/// <summary>
/// How a body outline departs from an ellipse: relative radius 1 + <see cref="Bulge"/>·sin 3θ (front bulges,
/// as the belly does) + <see cref="Asymmetry"/>·cos 3θ (one side fuller) + <see cref="Boxiness"/>·cos 4θ (squarer).
/// </summary>
internal readonly record struct BodyOutline(float Bulge, float Asymmetry, float Boxiness)
{
    /// <summary>Relative radius at the angle with cosine <paramref name="c"/> and sine <paramref name="s"/> (y pointing back).</summary>
    public float Radius(float c, float s)
    {
        // sin 3θ = s(3 − 4s²) is +1 at the front (s = −1 gives −1·(3 − 4) = 1); cos 3θ = c(4c² − 3); cos 4θ = 1 − 8c²s².
        return 1 + Bulge * s * (3 - 4 * s * s) + Asymmetry * c * (4 * c * c - 3) + Boxiness * (1 - 8 * c * c * s * s);
    }
}
