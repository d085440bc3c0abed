using System.Numerics;
using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// The labelled head every synthetic brain subject is warped from, as smooth functions of a position in head units
/// (x towards the subject's right, y to the front, z up; the head spans about ±0.8 × ±0.92 × ±0.8): scalp, skull,
/// CSF, a folded grey-matter cortex over white matter, lateral ventricles, and four deep grey-matter structures on
/// each side with their own T1 contrast. Boundaries are perturbed by lattice noise, so no two sides are mirror images.
/// </summary>
internal sealed class BrainTemplate
{
    /// <summary>Tissues whose T1 value a subject's contrast profile sets, in <see cref="Tissue"/> order.</summary>
    public const int TissueCount = 10;

    /// <summary>The tissue kinds: the indices of a contrast profile.</summary>
    public enum Tissue
    {
        Air, Scalp, Skull, Csf, Grey, White, Thalamus, Caudate, Putamen, Hippocampus,
    }

    /// <summary>Typical T1 values of the tissues (white matter ≈ 0.8), in <see cref="Tissue"/> order.</summary>
    public static readonly float[] TypicalT1 = [0, 0.75f, 0.12f, 0.2f, 0.5f, 0.8f, 0.66f, 0.56f, 0.61f, 0.47f];

    /// <summary>The labelled structures by label value − 1: left and right of each deep structure.</summary>
    public static readonly IReadOnlyList<string> Classes =
    [
        "left_thalamus", "right_thalamus", "left_caudate", "right_caudate",
        "left_putamen", "right_putamen", "left_hippocampus", "right_hippocampus",
    ];

    private static readonly Vector3 HeadRadii = new(0.8f, 0.92f, 0.8f);
    private const float Edge = 0.012f;
    private const float StructureEdge = 0.08f;
    /// <summary>The lattice grid spans ±<see cref="GridHalf"/> head units with <see cref="GridScale"/> grid units per head unit.</summary>
    private const float GridHalf = 1.3f, GridScale = 100;

    private readonly Structure[] _structures;
    private readonly Ellipsoid[] _ventricles;
    private readonly LatticeNoise _head, _fold, _sulci, _boundary, _texture;

    private BrainTemplate(Structure[] structures, Ellipsoid[] ventricles, LatticeNoise head, LatticeNoise fold, LatticeNoise sulci, LatticeNoise boundary, LatticeNoise texture)
    {
        (_structures, _ventricles) = (structures, ventricles);
        (_head, _fold, _sulci, _boundary, _texture) = (head, fold, sulci, boundary, texture);
    }

    /// <summary>A structure of label <paramref name="Label"/> and tissue <paramref name="Kind"/>.</summary>
    private readonly record struct Structure(Ellipsoid Shape, ushort Label, Tissue Kind);

    /// <summary>An axis-aligned ellipsoid: <see cref="Radius"/> is 1 on its surface.</summary>
    private readonly record struct Ellipsoid(Vector3 Centre, Vector3 Radii)
    {
        public float Radius(Vector3 p) => ((p - Centre) / Radii).Length();
    }

    /// <summary>The template of <paramref name="seed"/>: its structures' places and sizes vary a little with the seed.</summary>
    public static BrainTemplate Create(int seed)
    {
        var rng = new DeterministicRandom(seed, SynthStreams.For(SynthStreams.BrainTemplate));
        // Right-side centres and radii in head units; the left side mirrors them, each side jittered on its own.
        (Tissue Kind, Vector3 Centre, Vector3 Radii)[] right =
        [
            (Tissue.Thalamus, new(0.11f, -0.12f, 0.05f), new(0.09f, 0.14f, 0.09f)),
            (Tissue.Caudate, new(0.16f, 0.17f, 0.15f), new(0.06f, 0.14f, 0.09f)),
            (Tissue.Putamen, new(0.29f, 0.04f, 0.02f), new(0.07f, 0.17f, 0.1f)),
            (Tissue.Hippocampus, new(0.3f, -0.16f, -0.27f), new(0.07f, 0.18f, 0.07f)),
        ];
        var structures = new List<Structure>();
        for (var s = 0; s < right.Length; s++)
        {
            foreach (var (side, sign) in new[] { (0, -1f), (1, 1f) })
            {
                var (kind, centre, radii) = right[s];
                var jitter = new Vector3(Gaussian(rng, 0.01f), Gaussian(rng, 0.01f), Gaussian(rng, 0.01f));
                var scale = 1 + Gaussian(rng, 0.05f);
                structures.Add(new Structure(new Ellipsoid(new Vector3(sign * centre.X, centre.Y, centre.Z) + jitter, radii * scale), (ushort)(2 * s + side + 1), kind));
            }
        }
        Ellipsoid[] ventricles = [new(new(-0.075f, 0.02f, 0.17f), new(0.045f, 0.3f, 0.08f)), new(new(0.075f, 0.02f, 0.17f), new(0.045f, 0.3f, 0.08f))];
        LatticeNoise Noise(float cell) => new(rng, (int)(2 * GridHalf * GridScale), (int)(2 * GridHalf * GridScale), 2 * GridHalf * GridScale, cell * GridScale);
        return new BrainTemplate([.. structures], ventricles, Noise(0.35f), Noise(0.11f), Noise(0.08f), Noise(0.12f), Noise(0.05f));
    }

    /// <summary>
    /// The label (0 = none, else 1 + index into <see cref="Classes"/>) and the T1 value under <paramref name="t1"/>
    /// (one value per <see cref="Tissue"/>, with soft partial-volume edges) at position <paramref name="p"/>.
    /// </summary>
    public (ushort Label, float Value) Sample(Vector3 p, ReadOnlySpan<float> t1)
    {
        float gx = (p.X + GridHalf) * GridScale, gy = (p.Y + GridHalf) * GridScale, gz = (p.Z + GridHalf) * GridScale;
        float head = (p / HeadRadii).Length() + 0.015f * _head.At(gx, gy, gz);
        if (head > 1 + Edge)
        {
            return (0, t1[(int)Tissue.Air]);
        }
        float value = Blend(t1[(int)Tissue.Air], t1[(int)Tissue.Scalp], Inside(head, 1, Edge));
        value = Blend(value, t1[(int)Tissue.Skull], Inside(head, 0.93f, Edge));
        value = Blend(value, t1[(int)Tissue.Csf], Inside(head, 0.87f, Edge));
        float fold = _fold.At(gx, gy, gz);
        value = Blend(value, t1[(int)Tissue.Grey], Inside(head + 0.012f * fold, 0.845f, Edge));
        // Sulci: CSF clefts reaching into the cortex where the second noise field peaks.
        float sulcus = Smoothstep(0.25f, 0.55f, _sulci.At(gx, gy, gz)) * Inside(0.8f - head, 0f, 0.03f);
        value = Blend(value, t1[(int)Tissue.Csf], sulcus);
        value = Blend(value, t1[(int)Tissue.White], Inside(head + 0.06f * fold, 0.74f, Edge));
        foreach (var ventricle in _ventricles)
        {
            value = Blend(value, t1[(int)Tissue.Csf], Inside(ventricle.Radius(p), 1, StructureEdge));
        }
        ushort label = 0;
        float boundary = 0.12f * _boundary.At(gx, gy, gz);
        foreach (var structure in _structures)
        {
            float r = structure.Shape.Radius(p) + boundary;
            value = Blend(value, t1[(int)structure.Kind], Inside(r, 1, StructureEdge));
            label = r < 1 ? structure.Label : label;
        }
        return (label, value + 0.03f * _texture.At(gx, gy, gz));
    }

    /// <summary>1 well inside radius <paramref name="limit"/>, 0 well outside, smooth over ±<paramref name="edge"/>.</summary>
    private static float Inside(float r, float limit, float edge) => 1 - Smoothstep(limit - edge, limit + edge, r);

    private static float Blend(float from, float to, float weight) => from + weight * (to - from);

    private static float Smoothstep(float a, float b, float x)
    {
        float t = Math.Clamp((x - a) / (b - a), 0, 1);
        return t * t * (3 - 2 * t);
    }

    private static float Gaussian(DeterministicRandom rng, float sigma) => SynthAnatomy.Gaussian(rng, sigma);
}
