using System.Numerics;
using MedSeg.Core.Data;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// One synthetic brain subject: the <see cref="BrainTemplate"/> seen through a global affine jitter (rotation up to a
/// few degrees, per-axis scale, shift) and a smooth random elastic warp, scanned with its own T1 contrast profile
/// (tissue values, gamma), a multiplicative bias field, a gain and Rician noise. Labels are the template's labels
/// at the warped positions, so image and labels always agree.
/// </summary>
internal sealed class BrainSubject
{
    /// <summary>Largest elastic displacement per axis, in head units (about 3 mm on a 96-voxel field of view).</summary>
    private const float WarpAmplitude = 0.07f;
    private const float WarpGrid = 100;

    private readonly Matrix4x4 _affine;
    private readonly LatticeNoise[] _warp;
    private readonly float[] _t1;
    private readonly float _gamma, _gain, _noise;
    private readonly float[] _bias;
    private readonly int _seed, _number;

    private BrainSubject(int seed, int number, Matrix4x4 affine, LatticeNoise[] warp, float[] t1, float gamma, float gain, float noise, float[] bias)
    {
        (_seed, _number, _affine, _warp, _t1, _gamma, _gain, _noise, _bias) = (seed, number, affine, warp, t1, gamma, gain, noise, bias);
    }

    /// <summary>Subject <paramref name="number"/> (0 = the training subject) of the dataset of <paramref name="seed"/>.</summary>
    public static BrainSubject Create(int seed, int number)
    {
        var rng = new DeterministicRandom(seed, SynthStreams.For(SynthStreams.BrainSubject, number));
        float Uniform(float min, float max) => SynthAnatomy.Uniform(rng, min, max);
        float Degrees(float limit) => Uniform(-limit, limit) * MathF.PI / 180;
        var affine = Matrix4x4.CreateRotationZ(Degrees(7)) * Matrix4x4.CreateRotationX(Degrees(5)) * Matrix4x4.CreateRotationY(Degrees(3))
            * Matrix4x4.CreateScale(Uniform(0.93f, 1.07f), Uniform(0.93f, 1.07f), Uniform(0.93f, 1.07f))
            * Matrix4x4.CreateTranslation(Uniform(-0.04f, 0.04f), Uniform(-0.04f, 0.04f), Uniform(-0.04f, 0.04f));
        var warp = Enumerable.Range(0, 3).Select(_ => new LatticeNoise(rng, (int)(3 * WarpGrid), (int)(3 * WarpGrid), 3 * WarpGrid, 0.3f * WarpGrid)).ToArray();
        var t1 = BrainTemplate.TypicalT1.Select(v => v * Uniform(0.9f, 1.1f)).ToArray();
        var bias = Enumerable.Range(0, 6).Select(_ => SynthAnatomy.Gaussian(rng, 0.12f)).ToArray();
        return new BrainSubject(seed, number, affine, warp, t1, Uniform(0.8f, 1.25f), Uniform(600, 1400), Uniform(0.015f, 0.045f), bias);
    }

    /// <summary>Renders the subject on <paramref name="geometry"/> (x fastest): the T1 image and its label map.</summary>
    /// <param name="headUnitMm">Millimetres per head unit: the head fits the smallest side of the field of view.</param>
    public (Volume<float> Image, Volume<ushort> Labels) Render(BrainTemplate template, VolumeGeometry geometry, StackSpacing spacing, float headUnitMm)
    {
        var (w, h, d) = (geometry.Shape.X, geometry.Shape.Y, geometry.Shape.Z);
        var image = new Volume<float>(geometry);
        var labels = new Volume<ushort>(geometry);
        Parallel.For(0, d, z =>
        {
            // One noise stream per plane: the bytes do not depend on how planes are spread over threads.
            var noise = new DeterministicRandom(_seed, SynthStreams.For(SynthStreams.BrainNoise, _number, z));
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    var q = new Vector3(
                        (float)((x - (w - 1) / 2.0) * spacing.Width / headUnitMm),
                        (float)((y - (h - 1) / 2.0) * spacing.Height / headUnitMm),
                        (float)((z - (d - 1) / 2.0) * spacing.Depth / headUnitMm));
                    var (label, value) = template.Sample(Warp(q), _t1);
                    int index = (z * h + y) * w + x;
                    labels.Voxels[index] = label;
                    image.Voxels[index] = Scan(value, q, noise);
                }
            }
        });
        return (image, labels);
    }

    /// <summary>The template position seen at subject position <paramref name="q"/>.</summary>
    private Vector3 Warp(Vector3 q)
    {
        float gx = (q.X + 1.5f) * WarpGrid, gy = (q.Y + 1.5f) * WarpGrid, gz = (q.Z + 1.5f) * WarpGrid;
        var elastic = new Vector3(_warp[0].At(gx, gy, gz), _warp[1].At(gx, gy, gz), _warp[2].At(gx, gy, gz)) * WarpAmplitude;
        return Vector3.Transform(q, _affine) + elastic;
    }

    /// <summary>The scanner value of T1 value <paramref name="value"/> at <paramref name="q"/>: gamma, bias, gain, Rician noise.</summary>
    private float Scan(float value, Vector3 q, DeterministicRandom noise)
    {
        float log = _bias[0] * q.X + _bias[1] * q.Y + _bias[2] * q.Z + _bias[3] * q.X * q.Y + _bias[4] * (q.Z * q.Z - 0.33f) + _bias[5] * (q.Y * q.Y - 0.33f);
        float clean = MathF.Pow(MathF.Max(value, 0), _gamma) * MathF.Exp(log);
        float re = clean + _noise * (float)noise.NextGaussian(), im = _noise * (float)noise.NextGaussian();
        return _gain * MathF.Sqrt(re * re + im * im);
    }
}
