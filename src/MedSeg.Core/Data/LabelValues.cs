namespace MedSeg.Core.Data;

/// <summary>Which values a label map or mask of class indices holds.</summary>
public static class LabelValues
{
    /// <summary>The distinct values (all below <paramref name="limit"/>) present in <paramref name="values"/>, ascending.</summary>
    public static List<int> Present(ReadOnlySpan<ushort> values, int limit)
    {
        var seen = new bool[limit];
        foreach (ushort value in values)
        {
            seen[value] = true;
        }
        var present = new List<int>();
        for (int v = 0; v < limit; v++)
        {
            if (seen[v])
            {
                present.Add(v);
            }
        }
        return present;
    }
}
