using System.Runtime.CompilerServices;

namespace MedSeg.Core.Augmentations;

/// <summary>Maps an index outside [0, n) to the index a <see cref="BorderMode"/> reads there.</summary>
internal static class Border
{
    /// <summary>The index to read for position <paramref name="i"/> of an axis of length <paramref name="n"/>; −1 for the constant zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Resolve(int i, int n, BorderMode mode) => (uint)i < (uint)n ? i : Outside(i, n, mode);

    private static int Outside(int i, int n, BorderMode mode)
    {
        switch (mode)
        {
            case BorderMode.Constant:
                return -1;
            case BorderMode.Edge:
                return i < 0 ? 0 : n - 1;
            default:
                if (n == 1)
                {
                    return 0;
                }
                var period = 2 * (n - 1);
                var m = Math.Abs(i) % period;
                return m < n ? m : period - m;
        }
    }
}
