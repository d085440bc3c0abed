namespace MedSeg.Core.Preprocessing;

/// <summary><c>zscore</c>: (x − mean) / std over the image (population std; zeros for a constant image).</summary>
public sealed class ZScoreNormalisation : IntensityNormalisation
{
    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<ushort> image, Span<float> output)
    {
        for (var p = 0; p < image.Length; p++)
        {
            output[p] = image[p];
        }
        ZScore(output, output);
    }

    /// <inheritdoc />
    public override string ToString() => "zscore";
}
