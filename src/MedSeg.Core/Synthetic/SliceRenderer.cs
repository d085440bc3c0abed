using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Renders slices of a <see cref="SynthAnatomy"/> into 16-bit images and organ label maps: body, then tissues in
/// paint order, a slight blur (the scanner's point spread), then the acquisition (gain × bias field, Rician noise: the magnitude of a complex signal with
/// Gaussian noise in both channels, which keeps the background dark but not zero).
/// </summary>
internal sealed class SliceRenderer
{
    private const int TableSize = 1 << 16;
    private readonly float[] _gaussians = new float[TableSize];
    private readonly SliceCanvas _canvas;
    private readonly float[] _scratch;

    public SliceRenderer(int height, int width, DeterministicRandom rng)
    {
        _canvas = new SliceCanvas(height, width);
        _scratch = new float[height * width];
        // A table of normal draws indexed by random 16-bit numbers: exact enough for image noise and much faster.
        for (int i = 0; i < TableSize; i++)
        {
            _gaussians[i] = (float)rng.NextGaussian();
        }
    }

    /// <summary>
    /// Renders slice <paramref name="index"/> (0-based) into <paramref name="image"/> (H×W) and returns the label map
    /// (H×W: 0 = none, else <see cref="SynthAnatomy.Stomach"/>, ...), valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Render(SynthAnatomy anatomy, int index, Span<ushort> image, DeterministicRandom noise)
    {
        var canvas = _canvas;
        float z = anatomy.SliceZ(index);
        float zn = z / anatomy.Depth;
        canvas.Clear();
        anatomy.Acquisition.FillTextures(canvas, z);
        anatomy.Body.Paint(canvas, zn);
        foreach (var tissue in anatomy.Tissues)
        {
            canvas.Paint(tissue, z);
        }

        SmoothValues(canvas);
        var acquisition = anatomy.Acquisition;
        float sigma = acquisition.NoiseSigma;
        int width = canvas.Width, height = canvas.Height;
        ulong bits = 0;
        int bitsLeft = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (bitsLeft == 0)
                {
                    bits = noise.NextUInt64();
                    bitsLeft = 2;
                }
                float real = canvas.Value[i] + sigma * _gaussians[(int)(bits & 0xFFFF)];
                float imaginary = sigma * _gaussians[(int)((bits >> 16) & 0xFFFF)];
                bits >>= 32;
                bitsLeft--;
                float magnitude = MathF.Sqrt(real * real + imaginary * imaginary) * acquisition.Gain * acquisition.Bias(x, y, height, width, zn);
                image[i] = (ushort)Math.Clamp(MathF.Round(magnitude), 0, ushort.MaxValue);
            }
        }
        return canvas.Owner;
    }

    /// <summary>
    /// Blurs the intensities with the separable [1 2 1]/4 kernel (edges clamped): the point-spread of the scanner
    /// that softens every edge by about a pixel, as real MRI shows. Masks keep their half-coverage borders.
    /// </summary>
    private void SmoothValues(SliceCanvas canvas)
    {
        int width = canvas.Width, height = canvas.Height;
        float[] value = canvas.Value;
        Span<float> scratch = _scratch;
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                float left = value[row + Math.Max(x - 1, 0)], right = value[row + Math.Min(x + 1, width - 1)];
                scratch[row + x] = 0.25f * (left + right) + 0.5f * value[row + x];
            }
        }
        for (int y = 0; y < height; y++)
        {
            int up = Math.Max(y - 1, 0) * width, down = Math.Min(y + 1, height - 1) * width, row = y * width;
            for (int x = 0; x < width; x++)
            {
                value[row + x] = 0.25f * (scratch[up + x] + scratch[down + x]) + 0.5f * scratch[row + x];
            }
        }
    }
}
