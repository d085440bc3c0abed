namespace MedSeg.Torch.Losses;

/// <summary>How targets are brought to a lower-resolution auxiliary output's size for deep supervision.</summary>
public enum TargetDownsampling
{
    /// <summary>Nearest neighbour (PyTorch's <c>interpolate(mode="nearest")</c>); the only choice for multiclass labels.</summary>
    Nearest,

    /// <summary>Max-pooling of 0/1 masks by the whole size factor: a low-resolution pixel is foreground when any pixel it covers is, so thin structures survive.</summary>
    MaxPool,
}
