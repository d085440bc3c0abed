using System.Numerics;
using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// The synthetic abdomen of one case-day: body, organs and other tissues as smooth 3-D shapes in paint order,
/// plus the acquisition (gain, bias field, noise level, texture). Anatomy is drawn from the case's random stream
/// so that the days of a case share it; the day's stream adds patient shift, organ filling and motion, and the
/// acquisition.
/// </summary>
internal sealed class SynthAnatomy
{
    /// <summary>Mask labels (1-based class numbers) in the order of <see cref="UwMadisonSynth.Classes"/>.</summary>
    public const byte Stomach = 1, SmallBowel = 2, LargeBowel = 3;

    private SynthAnatomy(int slices, float depth, SynthBody body, IReadOnlyList<TubeTissue> tissues, SynthAcquisition acquisition)
    {
        Slices = slices;
        Depth = depth;
        Body = body;
        Tissues = tissues;
        Acquisition = acquisition;
    }

    /// <summary>Number of slices in the stack.</summary>
    public int Slices { get; }

    /// <summary>Extent of the stack along z, in pixel units.</summary>
    public float Depth { get; }

    public SynthBody Body { get; }

    /// <summary>Tissues inside the body, in paint order (labelled organs last).</summary>
    public IReadOnlyList<TubeTissue> Tissues { get; }

    public SynthAcquisition Acquisition { get; }

    /// <summary>Depth (pixel units) of the centre of slice <paramref name="index"/> (0-based).</summary>
    public float SliceZ(int index) => (index + 0.5f) / Slices * Depth;

    public static SynthAnatomy Create(int seed, int caseNumber, int dayIndex, int height, int width, int slices)
    {
        var caseRng = new DeterministicRandom(seed, SynthStreams.For(SynthStreams.Case, caseNumber));
        var dayRng = new DeterministicRandom(seed, SynthStreams.For(SynthStreams.Day, caseNumber, dayIndex));

        // Body: wide, flattened ellipse; build and fat vary per patient.
        float rx = width * Uniform(caseRng, 0.37f, 0.43f);
        float ry = MathF.Min(height * Uniform(caseRng, 0.31f, 0.37f), 0.8f * rx);
        float scale = MathF.Sqrt(rx * ry);
        float depth = 2.6f * scale;
        // Day: the patient lies a little differently on the table.
        float cx = width * 0.5f + Gaussian(dayRng, 0.025f * scale);
        float cy = height * 0.5f + Gaussian(dayRng, 0.02f * scale);
        var body = new SynthBody(
            cx, cy, rx, ry, BackY: cy + 0.92f * ry,
            FatThickness: scale * Uniform(caseRng, 0.06f, 0.16f),
            MuscleThickness: scale * Uniform(caseRng, 0.045f, 0.065f),
            Fat: Uniform(caseRng, 12000, 14500), Muscle: Uniform(caseRng, 3800, 4600), VisceralFat: Uniform(caseRng, 8500, 10500),
            ShapePhase: Uniform(caseRng, 0, 6.283f),
            Outline: new BodyOutline(Uniform(caseRng, 0.005f, 0.025f), Uniform(caseRng, -0.012f, 0.012f), Uniform(caseRng, 0, 0.03f)));
        // Organs move a little more than the body between days (breathing, filling).
        var frame = new BodyFrame(
            cx + Gaussian(dayRng, 0.02f * scale), cy + Gaussian(dayRng, 0.02f * scale), rx, ry, depth, Gaussian(dayRng, 0.015f * depth));

        var tissues = new List<TubeTissue>();
        tissues.AddRange(SynthOrgans.Skeleton(frame, caseRng));
        tissues.AddRange(SynthOrgans.Solid(frame, caseRng));
        tissues.Add(SynthOrgans.LargeBowel(frame, caseRng, dayRng));
        tissues.AddRange(SynthOrgans.SmallBowel(frame, caseRng, dayRng));
        tissues.Add(SynthOrgans.Stomach(frame, caseRng, dayRng));

        var acquisition = SynthAcquisition.Create(caseRng, dayRng, height, width, depth);
        return new SynthAnatomy(slices, depth, body, tissues, acquisition);
    }

    internal static float Uniform(DeterministicRandom rng, float min, float max) => (float)rng.NextDouble(min, max);

    internal static float Gaussian(DeterministicRandom rng, float sigma) => (float)(sigma * rng.NextGaussian());

    /// <summary>Control points from body-relative rows (bu, bv, zn, radius), each jittered by the case.</summary>
    internal static Vector4[] Points(BodyFrame frame, DeterministicRandom rng, float jitter, float radiusScale, params ReadOnlySpan<(float Bu, float Bv, float Zn, float R)> rows)
    {
        var points = new Vector4[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var (bu, bv, zn, r) = rows[i];
            points[i] = frame.At(bu + Gaussian(rng, jitter), bv + Gaussian(rng, jitter), zn + Gaussian(rng, jitter * 0.4f), r * radiusScale);
        }
        return points;
    }
}
