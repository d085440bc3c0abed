using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// What <see cref="BrainSynth.Write"/> generates: <paramref name="Subjects"/> T1-like head volumes of
/// <paramref name="Width"/> (left–right) × <paramref name="Height"/> (front–back) × <paramref name="Slices"/> (foot–head)
/// voxels of <paramref name="Spacing"/> mm; the first subject trains, the others are held out. The same
/// <paramref name="Seed"/> gives the same bytes.
/// </summary>
public sealed record BrainSynthOptions(int Subjects = 4, int Height = 96, int Width = 96, int Slices = 96, StackSpacing? Spacing = null, int Seed = 0)
{
    /// <summary>Smallest side that still shows the deep structures, in voxels.</summary>
    public const int MinSize = 32;

    /// <summary>Largest side, in voxels.</summary>
    public const int MaxSize = 512;

    /// <summary>The voxel spacing in mm (slice × row × column): 1 mm isotropic unless given.</summary>
    public StackSpacing VoxelSpacing => Spacing ?? new StackSpacing(1, 1, 1);

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="MedSegException">An option is out of range (the message names the command-line flag).</exception>
    public void Validate()
    {
        Check(Subjects, 1, 999, "number of subjects", "--cases");
        Check(Height, MinSize, MaxSize, "image height", "--size");
        Check(Width, MinSize, MaxSize, "image width", "--size");
        Check(Slices, MinSize, MaxSize, "number of slices", "--slices");
    }

    private static void Check(int value, int min, int max, string what, string flag)
    {
        if (value < min || value > max)
        {
            throw new MedSegException($"The {what} of --anatomy brain must be between {min} and {max}, not {value}; change {flag}.");
        }
    }
}
