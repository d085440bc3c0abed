namespace MedSeg.Core.IO;

/// <summary>
/// How far deflate data (gzip, PNG) can expand: about 1032 bytes per compressed byte at most, so a header that claims
/// more data than that is damaged or crafted and is refused before anything is allocated for it.
/// </summary>
internal static class DeflateLimit
{
    /// <summary>Bytes one compressed byte can expand into, with a margin over deflate's limit.</summary>
    public const long MaxInflation = 1100;

    /// <summary>Whether <paramref name="compressedBytes"/> of deflate data can hold <paramref name="bytes"/>.</summary>
    public static bool CanHold(long compressedBytes, long bytes) => bytes / MaxInflation <= compressedBytes;
}
