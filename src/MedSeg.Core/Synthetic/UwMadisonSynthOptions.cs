namespace MedSeg.Core.Synthetic;

/// <summary>
/// What <see cref="UwMadisonSynth.Write"/> generates: <paramref name="Cases"/> patients, each with 1 to
/// <paramref name="MaxDays"/> scan days, <paramref name="Slices"/> axial slices per case-day of
/// <paramref name="Height"/>×<paramref name="Width"/> pixels; the same <paramref name="Seed"/> gives the same bytes.
/// </summary>
public sealed record UwMadisonSynthOptions(int Cases = 6, int MaxDays = 2, int Slices = 40, int Height = 160, int Width = 192, int Seed = 0)
{
    /// <summary>Smallest image side that leaves room for the anatomy, in pixels.</summary>
    public const int MinSize = 32;

    /// <summary>Largest image side, in pixels.</summary>
    public const int MaxSize = 2048;

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="MedSegException">An option is out of range (the message names the command-line flag).</exception>
    public void Validate()
    {
        Check(Cases, 1, 9999, "number of cases", "--cases");
        Check(MaxDays, 1, 99, "number of days per case", "--days");
        Check(Slices, 1, 9999, "number of slices per case-day", "--slices");
        Check(Height, MinSize, MaxSize, "image height", "--size");
        Check(Width, MinSize, MaxSize, "image width", "--size");
    }

    private static void Check(int value, int min, int max, string what, string flag)
    {
        if (value < min || value > max)
        {
            throw new MedSegException($"The {what} must be between {min} and {max}, not {value}; change {flag}.");
        }
    }
}
