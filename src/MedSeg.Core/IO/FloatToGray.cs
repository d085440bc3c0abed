namespace MedSeg.Core.IO;

/// <summary>Maps float intensities (NIfTI images) onto 16-bit gray levels for pictures: min … max onto 0 … 65535.</summary>
public static class FloatToGray
{
    /// <summary>
    /// The gray level of every value (non-finite values read 0); <paramref name="low"/> is the value level 0 stands
    /// for and <paramref name="step"/> the value one level stands for (0 when every finite value is the same).
    /// </summary>
    public static ushort[] Map(ReadOnlySpan<float> values, out float low, out float step)
    {
        low = float.PositiveInfinity;
        float high = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        }
        var gray = new ushort[values.Length];
        float scale = high > low ? 65535f / (high - low) : 0;
        for (int i = 0; i < values.Length; i++)
        {
            gray[i] = float.IsFinite(values[i]) ? (ushort)((values[i] - low) * scale) : (ushort)0;
        }
        low = float.IsFinite(low) ? low : 0;
        step = high > low ? (high - low) / 65535f : 0;
        return gray;
    }
}
