namespace MedSeg.Core.Inference;

/// <summary>How overlapping sliding windows are weighted where they meet (MONAI's <c>mode</c>).</summary>
public enum WindowBlend
{
    /// <summary>A Gaussian centred on the window, σ = size/8 per axis: window borders, where context is poorest, count least.</summary>
    Gaussian,

    /// <summary>Every voxel of every window counts the same (a plain average).</summary>
    Constant,
}
