namespace MedSeg.Core.Volumes;

/// <summary>How <see cref="Resampler"/> computes a voxel between source voxel centres.</summary>
public enum Interpolation
{
    /// <summary>Trilinear: for intensities.</summary>
    Linear,

    /// <summary>The nearest source voxel: for label maps, whose values must stay class indices.</summary>
    Nearest,
}
