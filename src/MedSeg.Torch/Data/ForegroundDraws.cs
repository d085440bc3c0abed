namespace MedSeg.Torch.Data;

/// <summary>
/// Which training draws are forced onto foreground (nnU-Net's <c>oversample_foreground_percent</c>, one third): draw
/// number p of an epoch is when p mod N = N − 1, for one in every N draws; N = 0 forces none.
/// </summary>
public static class ForegroundDraws
{
    /// <summary>One draw in three, nnU-Net's default.</summary>
    public const int DefaultEvery = 3;

    /// <summary>True when draw <paramref name="position"/> is forced onto foreground, one in every <paramref name="every"/>.</summary>
    public static bool Forced(long position, int every) => every > 0 && position % every == every - 1;
}
