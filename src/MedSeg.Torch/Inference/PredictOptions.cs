namespace MedSeg.Torch.Inference;

/// <summary>
/// How slices are segmented. <paramref name="Tta"/>: <c>none</c> or <c>flip</c> (average with the horizontally
/// flipped image, in probability space). <paramref name="Threshold"/>: probability above which a pixel is
/// foreground (null = the first run's). <paramref name="MinPixels"/>: a class predicted on fewer pixels of a slice
/// is dropped from that slice. <paramref name="BatchSize"/>: slices per forward pass.
/// </summary>
public sealed record PredictOptions(string Tta = "none", double? Threshold = null, int MinPixels = 0, int BatchSize = 8)
{
    public static readonly string[] TtaChoices = ["none", "flip"];
}
