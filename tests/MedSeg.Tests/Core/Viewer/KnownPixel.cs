namespace MedSeg.Tests.Core.Viewer;

/// <summary>A pixel deep inside one class's mask (it and its 8 neighbours hold that class and no other), found in the masks themselves.</summary>
internal static class KnownPixel
{
    /// <summary>The first (row, column) of slice mask <paramref name="own"/> whose 3×3 block lies in it and outside every mask of <paramref name="others"/>, or null.</summary>
    public static (int Y, int X)? Inside(byte[] own, IEnumerable<byte[]> others, int height, int width)
    {
        byte[][] rest = others.ToArray();
        for (int y = 1; y < height - 1; y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                bool ok = true;
                for (int dy = -1; dy <= 1 && ok; dy++)
                {
                    for (int dx = -1; dx <= 1 && ok; dx++)
                    {
                        int i = (y + dy) * width + x + dx;
                        ok = own[i] != 0 && rest.All(m => m[i] == 0);
                    }
                }
                if (ok)
                {
                    return (y, x);
                }
            }
        }
        return null;
    }
}
