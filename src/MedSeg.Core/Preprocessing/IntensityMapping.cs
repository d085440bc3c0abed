using System.Text.Json;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// How the voxel values of one NIfTI volume are stored as the 16-bit slices the trainer reads, and read back:
/// <c>original = Offset + Scale × stored</c>. One mapping per volume (<see cref="Of"/>), so every slice of a volume
/// shares it:
/// <list type="bullet">
/// <item>whole numbers spanning at most 65,536 values (uint8, uint16, int16 — CT in Hounsfield units included) are
/// stored exactly: <c>Scale</c> 1 and <c>Offset</c> the volume's minimum when it is negative, else 0;</item>
/// <item>anything else (fractional values, or a range wider than 16 bits) is mapped linearly: <c>Offset</c> the
/// volume's minimum when negative, else 0, and <c>Scale</c> = (maximum − Offset) / 65535, so 0 keeps meaning 0 for
/// non-negative data and the volume's maximum becomes 65535.</item>
/// </list>
/// Saved per case-day and channel as <see cref="FileName"/> beside its <c>scans/</c> folder (<see cref="FileOf"/> for
/// further channels); normalisations read it to work in
/// the original units (<see cref="IntensityNormalisation.Apply(ReadOnlySpan{ushort}, IntensityMapping?, Span{float})"/>).
/// </summary>
public sealed record IntensityMapping(double Offset, double Scale, bool Exact)
{
    /// <summary>The file of a case-day folder that holds its mapping.</summary>
    public const string FileName = "intensity.json";

    /// <summary>The name of the rule <see cref="Of"/> that run folders record (<c>run.json</c> key <c>intensity</c>).</summary>
    public const string PerVolumeRule = "per-volume";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The mapping of a volume with these voxel values (non-finite values are ignored and stored as 0).</summary>
    public static IntensityMapping Of(ReadOnlySpan<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var whole = true;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            whole &= v == MathF.Round(v);
        }
        if (max < min)
        {
            return new IntensityMapping(0, 1, true);
        }
        var offset = Math.Min(0, min);
        if (whole && max - offset <= ushort.MaxValue)
        {
            return new IntensityMapping(offset, 1, true);
        }
        return new IntensityMapping(offset, max > offset ? (max - offset) / ushort.MaxValue : 1, false);
    }

    /// <summary>The stored 16-bit value of an original value (rounded and clamped; non-finite → 0).</summary>
    public ushort Store(float value) =>
        float.IsFinite(value) ? (ushort)Math.Clamp(Math.Round((value - Offset) / Scale), 0, ushort.MaxValue) : (ushort)0;

    /// <summary>The original value of a stored one (exact for <see cref="Exact"/> mappings).</summary>
    public float Original(ushort stored) => (float)(Offset + Scale * stored);

    /// <summary>The file of a case-day folder that holds the mapping of image channel <paramref name="channel"/>: <see cref="FileName"/>, then <c>intensity_0001.json</c>, ...</summary>
    public static string FileOf(int channel) =>
        channel == 0 ? FileName : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"intensity_{channel:D4}.json");

    /// <summary>Writes this mapping as the file of image channel <paramref name="channel"/> in <paramref name="caseDayFolder"/>.</summary>
    public void Save(string caseDayFolder, int channel = 0) =>
        AtomicFile.WriteAllText(Path.Combine(caseDayFolder, FileOf(channel)), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The mapping of image channel <paramref name="channel"/> saved in <paramref name="caseDayFolder"/>, or null when it has none (slices stored as they are).</summary>
    /// <exception cref="MedSegException">The file is not a valid mapping.</exception>
    public static IntensityMapping? Load(string caseDayFolder, int channel = 0)
    {
        var path = Path.Combine(caseDayFolder, FileOf(channel));
        if (!File.Exists(path))
        {
            return null;
        }
        IntensityMapping? mapping;
        try
        {
            mapping = JsonSerializer.Deserialize<IntensityMapping>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            mapping = null;
        }
        if (mapping is not null && double.IsFinite(mapping.Offset) && mapping.Scale > 0 && double.IsFinite(mapping.Scale))
        {
            return mapping;
        }
        throw new MedSegException($"{path} is not a valid intensity mapping (offset, a positive scale, exact); delete the preprocessed folder it belongs to so it is written again.");
    }
}
