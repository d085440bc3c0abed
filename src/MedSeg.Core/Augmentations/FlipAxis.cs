namespace MedSeg.Core.Augmentations;

/// <summary>An axis a <see cref="Flip"/> mirrors, named as albumentations names its flips.</summary>
public enum FlipAxis
{
    /// <summary>Horizontal flip (<c>h</c>): mirrors left and right, reversing the W axis.</summary>
    Horizontal,

    /// <summary>Vertical flip (<c>v</c>): mirrors top and bottom, reversing the H axis.</summary>
    Vertical,

    /// <summary>Depth flip (<c>d</c>, volumes only): reverses the D axis.</summary>
    Depth,
}
