namespace MedSeg.Core.IO;

/// <summary>An enlarged view of the part of a slice that holds a small structure, drawn as <see cref="ConfusionOverlay"/> draws the slice.</summary>
/// <param name="Png">The view (8-bit RGB PNG), <paramref name="Zoom"/> output pixels per slice pixel along each axis.</param>
/// <param name="Top">First slice row shown.</param>
/// <param name="Left">First slice column shown.</param>
/// <param name="Height">Slice rows shown.</param>
/// <param name="Width">Slice columns shown.</param>
/// <param name="Zoom">Output pixels per slice pixel.</param>
public sealed record ConfusionCrop(byte[] Png, int Top, int Left, int Height, int Width, int Zoom);
