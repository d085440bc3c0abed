using System.Numerics;
using MedSeg.Core.Data;
using static MedSeg.Core.Synthetic.SynthAnatomy;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// The tissues of the synthetic abdomen as tubes in a <see cref="BodyFrame"/> (image left = patient right, top =
/// front, slice numbers rising from pelvis to upper abdomen). Intensities are on a T2-like scale: fat and fluid
/// bright, muscle and bowel wall dark. Case draws shape the anatomy; day draws move and fill the hollow organs.
/// </summary>
internal static class SynthOrgans
{
    /// <summary>Spine, paraspinal and psoas muscles, aorta and vena cava (not labelled).</summary>
    public static IEnumerable<TubeTissue> Skeleton(BodyFrame f, DeterministicRandom rng)
    {
        var vertebra = new TissueLook(Wall: 1800, WallWidth: 1.5f, Lumen: 6500, Coarse: 0.15f, Fine: 0.12f);
        yield return Tissue(vertebra, TissueClip.Body, Points(f, rng, 0.01f, 1, (0, 0.5f, -0.2f, 0.15f), (0, 0.5f, 1.2f, 0.15f)));
        yield return Tissue(new TissueLook(0, 0, 14000, 0, 0.04f), TissueClip.Body,
            Points(f, rng, 0.01f, 1, (0, 0.72f, -0.2f, 0.055f), (0, 0.72f, 1.2f, 0.055f)));
        var muscle = new TissueLook(0, 0, 4000, 0.03f, 0.06f);
        foreach (float side in new[] { -1f, 1f })
        {
            // Paraspinal muscles: two side-by-side columns make an oval.
            yield return new TubeTissue(
                [
                    Tube.Smooth(Points(f, rng, 0.01f, 1, (side * 0.14f, 0.75f, -0.2f, 0.11f), (side * 0.14f, 0.75f, 1.2f, 0.1f)), 2),
                    Tube.Smooth(Points(f, rng, 0.01f, 1, (side * 0.24f, 0.76f, -0.2f, 0.1f), (side * 0.24f, 0.76f, 1.2f, 0.09f)), 2),
                ],
                muscle, 0, TissueClip.Body);
            yield return Tissue(muscle, TissueClip.Body, Points(f, rng, 0.02f, 1,
                (side * 0.3f, 0.4f, -0.1f, 0.15f), (side * 0.26f, 0.42f, 0.3f, 0.1f), (side * 0.21f, 0.45f, 0.55f, 0.035f)));
        }
        yield return Tissue(new TissueLook(0, 0, 1200, 0, 0.05f), TissueClip.Body,
            Points(f, rng, 0.01f, 1, (0.1f, 0.22f, 0.2f, 0.06f), (0.1f, 0.22f, 1.2f, 0.065f)));
        yield return Tissue(new TissueLook(0, 0, 2600, 0, 0.05f), TissueClip.Body,
            Points(f, rng, 0.01f, 1, (-0.15f, 0.2f, 0.25f, 0.06f), (-0.16f, 0.2f, 1.2f, 0.07f)));
    }

    /// <summary>Kidneys, liver, spleen and bladder (not labelled).</summary>
    public static IEnumerable<TubeTissue> Solid(BodyFrame f, DeterministicRandom rng)
    {
        var kidney = new TissueLook(Wall: 8500, WallWidth: 3, Lumen: 5500, Coarse: 0.05f, Fine: 0.05f);
        foreach (float side in new[] { -1f, 1f })
        {
            // Oblique in-plane runs make the bean-like oval cross-sections.
            float low = side < 0 ? 0.42f : 0.47f;
            yield return Tissue(kidney, TissueClip.Body, Points(f, rng, 0.02f, 1,
                (side * 0.4f, 0.36f, low, 0.05f), (side * 0.43f, 0.38f, low + 0.07f, 0.14f), (side * 0.52f, 0.48f, low + 0.14f, 0.14f),
                (side * 0.5f, 0.46f, low + 0.22f, 0.05f)));
        }
        // Liver: the right lobe (front and back parts) fills the upper right abdomen (image left), the left lobe reaches across the front.
        float liver = Uniform(rng, 0.9f, 1.1f);
        yield return new TubeTissue(
            [
                Tube.Smooth(Points(f, rng, 0.03f, liver,
                    (-0.7f, 0.1f, 0.5f, 0.1f), (-0.62f, 0.05f, 0.62f, 0.32f), (-0.58f, 0.0f, 0.78f, 0.5f), (-0.52f, 0.05f, 1.05f, 0.55f)), 4),
                Tube.Smooth(Points(f, rng, 0.03f, liver,
                    (-0.5f, 0.4f, 0.6f, 0.08f), (-0.5f, 0.35f, 0.72f, 0.26f), (-0.45f, 0.3f, 0.9f, 0.3f), (-0.4f, 0.3f, 1.05f, 0.25f)), 4),
                Tube.Smooth(Points(f, rng, 0.03f, liver,
                    (-0.3f, -0.35f, 0.7f, 0.08f), (-0.1f, -0.45f, 0.8f, 0.2f), (0.15f, -0.5f, 0.92f, 0.18f), (0.3f, -0.45f, 1.05f, 0.1f)), 4),
            ],
            new TissueLook(0, 0, 5200, 0.05f, 0.05f), 0, TissueClip.Cavity);
        // Hepatic veins: dark flow voids inside the upper liver.
        var vein = new TissueLook(0, 0, 1500, 0, 0.05f);
        yield return new TubeTissue(
            [
                Tube.Smooth(Points(f, rng, 0.02f, 1, (-0.62f, 0.05f, 0.66f, 0.03f), (-0.5f, -0.05f, 0.85f, 0.04f), (-0.3f, 0.05f, 1.05f, 0.05f)), 4),
                Tube.Smooth(Points(f, rng, 0.02f, 1, (-0.45f, -0.25f, 0.72f, 0.025f), (-0.35f, -0.15f, 0.88f, 0.035f), (-0.2f, 0.1f, 1.05f, 0.045f)), 4),
            ],
            vein, 0, TissueClip.Cavity);
        yield return Tissue(new TissueLook(0, 0, 7000, 0.03f, 0.05f), TissueClip.Cavity, Points(f, rng, 0.02f, 1,
            (0.7f, 0.48f, 0.66f, 0.08f), (0.68f, 0.45f, 0.78f, 0.2f), (0.62f, 0.4f, 0.92f, 0.16f)));
        yield return Tissue(new TissueLook(5000, 1.5f, 15000, 0, 0.04f), TissueClip.Cavity, Points(f, rng, 0.02f, Uniform(rng, 0.7f, 1.1f),
            (0, -0.15f, -0.1f, 0.28f), (0, -0.22f, 0.06f, 0.26f)));
    }

    /// <summary>The large bowel: rectum and sigmoid, descending colon (image right), transverse colon along the front, ascending colon and caecum (image left).</summary>
    public static TubeTissue LargeBowel(BodyFrame f, DeterministicRandom caseRng, DeterministicRandom dayRng)
    {
        float radius = Uniform(caseRng, 0.9f, 1.15f) * Uniform(dayRng, 0.93f, 1.07f);
        var control = Points(f, caseRng, 0.03f, radius,
            (0.0f, 0.45f, 0.15f, 0.1f), (0.0f, 0.35f, 0.2f, 0.1f), (-0.15f, 0.1f, 0.25f, 0.09f), (0.15f, -0.05f, 0.28f, 0.09f),
            (0.5f, 0.1f, 0.31f, 0.1f), (0.64f, 0.2f, 0.4f, 0.1f), (0.64f, 0.15f, 0.52f, 0.1f), (0.6f, -0.2f, 0.6f, 0.11f),
            (0.35f, -0.58f, 0.55f, 0.11f), (0.0f, -0.62f, 0.5f, 0.11f), (-0.35f, -0.58f, 0.54f, 0.11f), (-0.6f, -0.25f, 0.56f, 0.11f),
            (-0.64f, 0.1f, 0.5f, 0.12f), (-0.62f, 0.15f, 0.36f, 0.13f), (-0.5f, 0.2f, 0.26f, 0.15f));
        float meanRadius = 0.11f * radius * f.Scale;
        var tube = Tube.Smooth(control, 8).WithRadiusWaves(0.12f, 2.2f * meanRadius, Uniform(dayRng, 0, 6.283f));
        var look = new TissueLook(Wall: 4800, WallWidth: 1.5f, Lumen: Uniform(caseRng, 3600, 5200), Coarse: 0.45f, Fine: 0.15f)
        {
            GasPocketThreshold = Uniform(caseRng, 0.22f, 0.42f),
        };
        return new TubeTissue([tube], look, SynthAnatomy.LargeBowel, TissueClip.Cavity);
    }

    /// <summary>
    /// The small bowel: a few long loops, each a random walk confined to the central abdomen, below the
    /// transverse colon; fluid-filled loops are bright with a dark wall, others grey.
    /// </summary>
    public static IEnumerable<TubeTissue> SmallBowel(BodyFrame f, DeterministicRandom caseRng, DeterministicRandom dayRng)
    {
        var centre = f.At(0, -0.02f, 0.39f, 0);
        var extent = new Vector3(0.5f * f.Rx, 0.36f * f.Ry, 0.17f * f.Depth);
        float radius = 0.075f * f.Scale * Uniform(caseRng, 0.9f, 1.1f);
        int loops = 5 + caseRng.NextInt(4);
        for (int loop = 0; loop < loops; loop++)
        {
            var points = Walk(caseRng, new Vector3(centre.X, centre.Y, centre.Z), extent, radius, steps: 80);
            bool fluid = caseRng.NextDouble() < 0.6;
            // Day-to-day motion: a smooth displacement along the loop.
            float amplitude = 0.035f * f.Scale;
            var phase = new Vector3(Uniform(dayRng, 0, 6.283f), Uniform(dayRng, 0, 6.283f), Uniform(dayRng, 0, 6.283f));
            for (int i = 0; i < points.Length; i++)
            {
                points[i] += amplitude * new Vector4(MathF.Sin(0.35f * i + phase.X), MathF.Sin(0.3f * i + phase.Y), 0.5f * MathF.Sin(0.25f * i + phase.Z), 0);
            }
            var look = fluid
                ? new TissueLook(Wall: 5600, WallWidth: 1.3f, Lumen: 11500, Coarse: 0.05f, Fine: 0.08f)
                : new TissueLook(Wall: 5200, WallWidth: 1.3f, Lumen: 7200, Coarse: 0.15f, Fine: 0.1f);
            yield return new TubeTissue([Tube.Smooth(points, 2)], look, SynthAnatomy.SmallBowel, TissueClip.Cavity);
        }
    }

    /// <summary>The stomach: fundus high under the left diaphragm (image right), body curving down and across to the antrum and pylorus, with gas above the fluid level in most patients.</summary>
    public static TubeTissue Stomach(BodyFrame f, DeterministicRandom caseRng, DeterministicRandom dayRng)
    {
        float filling = Uniform(caseRng, 0.85f, 1.1f) * Uniform(dayRng, 0.85f, 1.15f);
        var control = Points(f, caseRng, 0.03f, filling,
            (0.45f, -0.05f, 0.8f, 0.24f), (0.42f, -0.2f, 0.72f, 0.28f), (0.3f, -0.35f, 0.65f, 0.24f),
            (0.05f, -0.45f, 0.62f, 0.16f), (-0.15f, -0.38f, 0.61f, 0.09f));
        bool fluid = caseRng.NextDouble() < 0.5;
        bool gas = caseRng.NextDouble() < 0.7;
        var look = fluid
            ? new TissueLook(Wall: 5200, WallWidth: 2, Lumen: 12500, Coarse: 0.08f, Fine: 0.06f)
            : new TissueLook(Wall: 5200, WallWidth: 2, Lumen: 8200, Coarse: 0.3f, Fine: 0.12f);
        // Gas rises to the front (top of the image) of the supine patient: a cap over the most anterior part.
        float front = control.Min(p => p.Y - p.W);
        float level = front + Uniform(dayRng, 0.25f, 0.5f) * control.Max(p => p.W);
        return new TubeTissue([Tube.Smooth(control, 8)], gas ? look with { GasLevelY = level } : look, SynthAnatomy.Stomach, TissueClip.Cavity);
    }

    private static TubeTissue Tissue(TissueLook look, TissueClip clip, Vector4[] control) =>
        new([Tube.Smooth(control, 4)], look, 0, clip);

    /// <summary>A smooth random walk of <paramref name="steps"/> steps inside the ellipsoid (centre, extent), radius per point varying around <paramref name="radius"/>.</summary>
    private static Vector4[] Walk(DeterministicRandom rng, Vector3 centre, Vector3 extent, float radius, int steps)
    {
        var position = centre + extent * 0.7f * new Vector3(Uniform(rng, -1, 1), Uniform(rng, -1, 1), Uniform(rng, -1, 1));
        var direction = Vector3.Normalize(new Vector3(Gaussian(rng, 1), Gaussian(rng, 1), Gaussian(rng, 1)) + new Vector3(0, 0, 1e-3f));
        float radiusPhase = Uniform(rng, 0, 6.283f);
        var points = new Vector4[steps];
        for (int i = 0; i < steps; i++)
        {
            points[i] = new Vector4(position, radius * (1 + 0.15f * MathF.Sin(0.4f * i + radiusPhase)));
            var q = (position - centre) / extent;
            float outside = q.Length();
            var inward = -Vector3.Normalize(q / extent + new Vector3(1e-6f));
            float pull = Math.Clamp((outside - 0.6f) * 3, 0, 2);
            direction = Vector3.Normalize(direction + 0.75f * new Vector3(Gaussian(rng, 1), Gaussian(rng, 1), Gaussian(rng, 1)) + pull * inward);
            position += 0.9f * radius * direction;
        }
        return points;
    }
}
