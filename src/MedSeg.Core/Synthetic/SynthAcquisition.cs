using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// How a synthetic case-day was "scanned": overall gain, a smooth multiplicative bias field (coil
/// sensitivity), the noise level of the Rician magnitude noise, and the texture fields of the tissues.
/// </summary>
internal sealed class SynthAcquisition
{
    private readonly float[] _bias;
    private readonly LatticeNoise _coarse, _coarseDetail, _fine, _pocket;

    private SynthAcquisition(float gain, float noiseSigma, float[] bias, LatticeNoise coarse, LatticeNoise coarseDetail, LatticeNoise fine, LatticeNoise pocket)
    {
        Gain = gain;
        NoiseSigma = noiseSigma;
        _bias = bias;
        _coarse = coarse;
        _coarseDetail = coarseDetail;
        _fine = fine;
        _pocket = pocket;
    }

    /// <summary>Scanner units per tissue unit.</summary>
    public float Gain { get; }

    /// <summary>Standard deviation of the noise in each of the real and imaginary channels, in tissue units.</summary>
    public float NoiseSigma { get; }

    public static SynthAcquisition Create(DeterministicRandom caseRng, DeterministicRandom dayRng, int height, int width, float depth)
    {
        float gain = SynthAnatomy.Uniform(caseRng, 0.65f, 1.35f) * SynthAnatomy.Uniform(dayRng, 0.93f, 1.07f);
        float sigma = SynthAnatomy.Uniform(caseRng, 200, 380);
        var bias = new float[6];
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = SynthAnatomy.Gaussian(dayRng, 0.18f);
        }
        float size = MathF.Sqrt(height * width);
        return new SynthAcquisition(gain, sigma, bias,
            new LatticeNoise(dayRng, height, width, depth, 0.09f * size),
            new LatticeNoise(dayRng, height, width, depth, 0.045f * size),
            new LatticeNoise(dayRng, height, width, depth, MathF.Max(1.5f, 0.015f * size)),
            new LatticeNoise(dayRng, height, width, depth, 0.04f * size));
    }

    /// <summary>Fills the canvas texture fields for the plane at depth <paramref name="z"/>.</summary>
    public void FillTextures(SliceCanvas canvas, float z)
    {
        _coarse.Accumulate(canvas.Coarse, z, 0.75f);
        _coarseDetail.Accumulate(canvas.Coarse, z, 0.35f);
        _fine.Accumulate(canvas.Fine, z, 1f);
        _pocket.Accumulate(canvas.Pocket, z, 1f);
    }

    /// <summary>Bias factor at image position (x, y) of a plane at normalised height <paramref name="zn"/>.</summary>
    public float Bias(float x, float y, int height, int width, float zn)
    {
        float u = 2 * x / width - 1, v = 2 * y / height - 1;
        float log = _bias[0] * u + _bias[1] * v + _bias[2] * u * v + _bias[3] * (u * u - 0.33f) + _bias[4] * (v * v - 0.33f) + _bias[5] * (zn - 0.5f);
        return MathF.Exp(log);
    }
}
