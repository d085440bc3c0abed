namespace MedSeg.Core.Preprocessing;

/// <summary><c>per-image-max</c>: the image divided by its maximum, in [0, 1] (zeros for an all-zero image).</summary>
public sealed class PerImageMaxNormalisation : IntensityNormalisation
{
    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<ushort> image, Span<float> output)
    {
        ushort max = 0;
        foreach (var v in image)
        {
            max = Math.Max(max, v);
        }
        // Multiplying by the float reciprocal (not dividing) keeps the values bit-identical to earlier runs.
        var scale = max == 0 ? 0f : 1f / max;
        for (var p = 0; p < image.Length; p++)
        {
            output[p] = image[p] * scale;
        }
    }

    /// <inheritdoc />
    public override string ToString() => "per-image-max";
}
