namespace MedSeg.Core.Synthetic;

/// <summary>
/// What <see cref="FolderSynth"/> writes: <paramref name="Images"/> images of <paramref name="Height"/>×<paramref name="Width"/>
/// pixels with <paramref name="Channels"/> channels (3 = RGB, 1 = gray), masks of <paramref name="Classes"/> classes
/// (background included), from <paramref name="Seed"/>; with <paramref name="Split"/> (train, val, test counts, which then
/// replace <paramref name="Images"/>) in train/, val/ and test/ sub-folders.
/// </summary>
public sealed record FolderSynthOptions(int Images = 24, int Height = 96, int Width = 128, int Classes = 6, int Channels = 3, int Seed = 0,
    IReadOnlyList<int>? Split = null)
{
    /// <summary>Images written in all.</summary>
    public int Total => Split?.Sum() ?? Images;

    /// <summary>Throws a <see cref="MedSegException"/> naming the option whose value cannot make a dataset.</summary>
    public void Validate()
    {
        if (Split is null && Images < 1)
        {
            throw new MedSegException($"--images {Images} must be at least 1.");
        }
        if (Split is not null && (Split.Count != 3 || Split.Any(n => n < 0) || Split[0] < 1))
        {
            throw new MedSegException($"--split {string.Join(",", Split)} must be three counts TRAIN,VAL,TEST with at least one training image, e.g. 367,101,233.");
        }
        if (Height < 16 || Width < 16)
        {
            throw new MedSegException($"--size {Height}x{Width} is too small; images need at least 16×16 pixels.");
        }
        if (Classes is < 2 or > 256)
        {
            throw new MedSegException($"--classes {Classes} must be from 2 to 256 (background included), so masks fit 8-bit PNGs.");
        }
        if (Channels is not (1 or 3))
        {
            throw new MedSegException($"--channels {Channels} must be 3 (RGB) or 1 (grayscale).");
        }
    }
}
