namespace MedSeg.Core.Synthetic;

/// <summary>
/// How a tube-shaped tissue looks in the image (intensities before bias field, gain and noise): a wall of
/// <see cref="WallWidth"/> pixels around a lumen whose value is modulated by the coarse and fine texture
/// fields, with optional gas (very dark) above an air–fluid level or in pockets.
/// </summary>
internal sealed record TissueLook(float Wall, float WallWidth, float Lumen, float Coarse, float Fine)
{
    /// <summary>Intensity of gas in a lumen.</summary>
    public const float Gas = 150f;

    /// <summary>Rows above this one (anterior, smaller y) hold gas, as in a supine patient; −∞ for none.</summary>
    public float GasLevelY { get; init; } = float.NegativeInfinity;

    /// <summary>Where the pocket noise field exceeds this, the lumen holds gas; +∞ for none.</summary>
    public float GasPocketThreshold { get; init; } = float.PositiveInfinity;

    /// <summary>Value at a pixel of the tissue that lies <paramref name="depth"/> pixels inside its surface.</summary>
    public float ValueAt(float depth, float y, float coarse, float fine, float pocket)
    {
        float lumen = Lumen * (1 + Coarse * coarse + Fine * fine);
        float gas = MathF.Max(Ramp(GasLevelY - y), Ramp((pocket - GasPocketThreshold) * 12));
        lumen += gas * (Gas - lumen);
        if (WallWidth <= 0)
        {
            return lumen;
        }
        float wall = Wall * (1 + 0.05f * fine);
        return wall + Ramp(depth - WallWidth) * (lumen - wall);
    }

    /// <summary>0 below −0.75, 1 above 0.75, linear between: a 1.5-pixel soft edge.</summary>
    public static float Ramp(float t) => Math.Clamp(t / 1.5f + 0.5f, 0f, 1f);
}
