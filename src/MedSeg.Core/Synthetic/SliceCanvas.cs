namespace MedSeg.Core.Synthetic;

/// <summary>
/// Working buffers for rendering one synthetic slice (all H×W row-major): intensity, which labelled organ owns
/// each pixel, the body and cavity coverage (0..1), texture fields for the current slice, and a distance scratch.
/// Tissues are painted in order, each over the ones before it, so masks always match what is visible.
/// </summary>
internal sealed class SliceCanvas
{
    private const float EdgeWidth = 1.2f;

    public SliceCanvas(int height, int width)
    {
        Height = height;
        Width = width;
        int n = height * width;
        Value = new float[n];
        Owner = new byte[n];
        BodyAlpha = new float[n];
        CavityAlpha = new float[n];
        Coarse = new float[n];
        Fine = new float[n];
        Pocket = new float[n];
        Distance = new float[n];
        Array.Fill(Distance, float.PositiveInfinity);
    }

    public int Height { get; }

    public int Width { get; }

    public float[] Value { get; }

    public byte[] Owner { get; }

    public float[] BodyAlpha { get; }

    public float[] CavityAlpha { get; }

    /// <summary>Large-feature texture, roughly in [-1, 1].</summary>
    public float[] Coarse { get; }

    /// <summary>Small-feature texture, roughly in [-1, 1].</summary>
    public float[] Fine { get; }

    /// <summary>Medium-feature field that places gas pockets.</summary>
    public float[] Pocket { get; }

    private float[] Distance { get; }

    /// <summary>Clears intensities, owners and texture fields.</summary>
    public void Clear()
    {
        Array.Clear(Value);
        Array.Clear(Owner);
        Array.Clear(Coarse);
        Array.Clear(Fine);
        Array.Clear(Pocket);
    }

    /// <summary>Paints <paramref name="tissue"/> as cut by the plane at depth <paramref name="z"/> (pixel units).</summary>
    public void Paint(TubeTissue tissue, float z)
    {
        var box = PixelBox.Empty;
        foreach (var tube in tissue.Tubes)
        {
            box = box.Union(tube.Rasterize(z, Distance, Height, Width, EdgeWidth));
        }
        float[] clip = tissue.Clip == TissueClip.Body ? BodyAlpha : CavityAlpha;
        var look = tissue.Look;
        for (int y = box.Y0; y < box.Y1; y++)
        {
            for (int x = box.X0; x < box.X1; x++)
            {
                int i = y * Width + x;
                float d = Distance[i];
                Distance[i] = float.PositiveInfinity;
                if (d >= EdgeWidth)
                {
                    continue;
                }
                float alpha = Math.Clamp(0.5f - d / EdgeWidth, 0f, 1f) * clip[i];
                if (alpha <= 0)
                {
                    continue;
                }
                float value = look.ValueAt(-d, y, Coarse[i], Fine[i], Pocket[i]);
                Value[i] += alpha * (value - Value[i]);
                if (alpha >= 0.5f)
                {
                    Owner[i] = tissue.Label;
                }
            }
        }
    }
}
