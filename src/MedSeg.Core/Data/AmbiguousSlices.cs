namespace MedSeg.Core.Data;

/// <summary>
/// The ambiguous slices of a case-day, per class: for each class with at least one annotated slice, the slice right
/// before its first annotated slice and the slice right after its last one (when they exist). They have no mask of
/// that class by construction; whether the organ truly ends there is what annotators are least sure of.
/// </summary>
public static class AmbiguousSlices
{
    /// <summary>Flags [slice][class]: true where the slice is ambiguous for that class. Reads only the RLE strings.</summary>
    /// <exception cref="MedSegException">The case-day has no labels.</exception>
    public static bool[][] Of(UwCaseDay caseDay)
    {
        var classes = Classes(caseDay);
        var count = caseDay.Slices.Count;
        var flags = new bool[count][];
        for (var i = 0; i < count; i++)
        {
            flags[i] = new bool[classes];
        }
        for (var c = 0; c < classes; c++)
        {
            var first = -1;
            var last = -1;
            for (var i = 0; i < count; i++)
            {
                if (IsAnnotated(caseDay.Slices[i], c))
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            if (first > 0)
            {
                flags[first - 1][c] = true;
            }
            if (last >= 0 && last + 1 < count)
            {
                flags[last + 1][c] = true;
            }
        }
        return flags;
    }

    /// <summary>Whether <paramref name="slice"/> has a positive mask of class <paramref name="classIndex"/> (its RLE is not empty).</summary>
    public static bool IsAnnotated(UwSlice slice, int classIndex) => !string.IsNullOrWhiteSpace(slice.Rles[classIndex]);

    private static int Classes(UwCaseDay caseDay)
    {
        var classes = caseDay.Slices.Count == 0 ? 0 : caseDay.Slices[0].Rles.Count;
        if (classes == 0)
        {
            throw new MedSegException(
                $"case-day {caseDay.Id} has no masks because its data folder has no train.csv; slice selection by annotation needs labelled data.");
        }
        return classes;
    }
}
