namespace MedSeg.Core.Synthetic;

/// <summary>
/// The body outline of the synthetic abdomen, in pixels: an ellipse centred at (<see cref="Cx"/>, <see cref="Cy"/>)
/// with a flattened back at row <see cref="BackY"/>, wrapped in subcutaneous fat and a wall of muscle around the
/// abdominal cavity, which is filled with textured visceral fat.
/// </summary>
internal sealed record SynthBody(
    float Cx, float Cy, float Rx, float Ry, float BackY, float FatThickness, float MuscleThickness,
    float Fat, float Muscle, float VisceralFat, float ShapePhase, BodyOutline Outline)
{
    /// <summary>Paints the body at normalised height <paramref name="zn"/> (0 = lowest slice, 1 = highest) over the whole canvas.</summary>
    public void Paint(SliceCanvas canvas, float zn)
    {
        float rx = Rx * (1 + 0.04f * MathF.Sin(2 * MathF.PI * zn + ShapePhase));
        float ry = Ry * (1 + 0.03f * MathF.Cos(2 * MathF.PI * zn + ShapePhase));
        int width = canvas.Width;
        for (int y = 0; y < canvas.Height; y++)
        {
            float dy = y - Cy;
            // The back rests on the table: less fat there; the wall muscles are thickest in front and at the sides.
            float back = Math.Clamp(dy / Ry, 0, 1);
            float fat = FatThickness * (1 - 0.45f * back);
            float wall = fat + MuscleThickness * (1.3f - 0.8f * back);
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                float dx = x - Cx;
                float depth = -MathF.Max(OutlineDistance(dx, dy, rx, ry), y - BackY);
                float body = TissueLook.Ramp(depth);
                float muscle = TissueLook.Ramp(depth - fat);
                float cavity = TissueLook.Ramp(depth - wall);
                float fatValue = Fat * (1 + 0.04f * canvas.Fine[i]);
                float muscleValue = Muscle * (1 + 0.05f * canvas.Fine[i]);
                float visceral = VisceralFat * (1 + 0.22f * canvas.Coarse[i] + 0.07f * canvas.Fine[i]);
                float value = fatValue + muscle * (muscleValue - fatValue);
                value += cavity * (visceral - value);
                canvas.Value[i] = body * value;
                canvas.BodyAlpha[i] = body;
                canvas.CavityAlpha[i] = cavity;
            }
        }
    }

    /// <summary>
    /// Approximate signed distance in pixels from (dx, dy) to the outline (negative inside): an ellipse with
    /// semi-axes rx, ry whose radius is modulated by the angular harmonics of <see cref="Outline"/>.
    /// </summary>
    private float OutlineDistance(float dx, float dy, float rx, float ry)
    {
        float ux = dx / rx, uy = dy / ry;
        float rho = MathF.Sqrt(ux * ux + uy * uy);
        if (rho < 1e-6f)
        {
            return -MathF.Min(rx, ry);
        }
        float c = ux / rho, s = uy / rho;
        float radius = Outline.Radius(c, s);
        float gx = ux / rx, gy = uy / ry;
        // First-order distance (rho − r) / |∇rho|, where |∇rho| = |(gx, gy)| / rho.
        return (rho - radius) * rho / MathF.Sqrt(gx * gx + gy * gy);
    }
}
