namespace MedSeg.Core.Viewer;

/// <summary>Reads and writes the classes a <see cref="ViewerMasks"/> mask value holds.</summary>
public static class ViewerMaskValues
{
    /// <summary>Classes a <see cref="ViewerMasks.Flags"/> value can hold (one bit each in 16 bits).</summary>
    public const int MaxFlagClasses = 16;

    /// <summary>Whether <paramref name="value"/> holds class <paramref name="classIndex"/> (0 = the first class after background).</summary>
    public static bool Holds(ViewerMasks kind, ushort value, int classIndex) =>
        kind == ViewerMasks.Flags ? ((value >> classIndex) & 1) != 0 : value == classIndex + 1;

    /// <summary>ORs the 0/1 per-class masks (each of the same length) into one <see cref="ViewerMasks.Flags"/> mask.</summary>
    /// <exception cref="MedSegException">More than <see cref="MaxFlagClasses"/> classes.</exception>
    public static ushort[] Flags(IReadOnlyList<byte[]> perClass, int length)
    {
        ArgumentNullException.ThrowIfNull(perClass);
        if (perClass.Count > MaxFlagClasses)
        {
            throw new MedSegException(
                $"The dataset has {perClass.Count} classes but the viewer overlays at most {MaxFlagClasses} overlapping classes; view a dataset with fewer classes.");
        }
        var flags = new ushort[length];
        for (int c = 0; c < perClass.Count; c++)
        {
            byte[] mask = perClass[c];
            for (int i = 0; i < length; i++)
            {
                if (mask[i] != 0)
                {
                    flags[i] |= (ushort)(1 << c);
                }
            }
        }
        return flags;
    }
}
