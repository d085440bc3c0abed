namespace MedSeg.Core.Data;

/// <summary>
/// Which slices of the training case-days become samples, and how ambiguous slices are treated (the winners'
/// variants): <see cref="Subset"/> <c>all|annotated</c> first, then <see cref="Ambiguous"/> <c>keep|ignore|drop</c>
/// on what remains. Samples come out case-day by case-day in slice order.
/// </summary>
public sealed record SliceSelection(SliceSubset Subset = SliceSubset.All, AmbiguousSlicePolicy Ambiguous = AmbiguousSlicePolicy.Keep)
{
    /// <summary>Every slice, none ignored: plain training.</summary>
    public static SliceSelection Default { get; } = new();

    /// <summary>Whether selecting needs the masks (anything but the default).</summary>
    public bool NeedsLabels => Subset != SliceSubset.All || Ambiguous != AmbiguousSlicePolicy.Keep;

    /// <summary>Parses the <c>slices</c> and <c>ambiguous</c> values; errors name the key and the valid values.</summary>
    /// <exception cref="MedSegException">A value is not one of the valid ones.</exception>
    public static SliceSelection Parse(string slices, string ambiguous) => new(
        slices switch
        {
            "all" => SliceSubset.All,
            "annotated" => SliceSubset.Annotated,
            _ => throw new MedSegException($"slices '{slices}' is not valid; use all or annotated."),
        },
        ambiguous switch
        {
            "keep" => AmbiguousSlicePolicy.Keep,
            "ignore" => AmbiguousSlicePolicy.Ignore,
            "drop" => AmbiguousSlicePolicy.Drop,
            _ => throw new MedSegException($"ambiguous '{ambiguous}' is not valid; use keep, ignore or drop."),
        });

    /// <summary>The samples of <paramref name="caseDays"/>, case-day by case-day in slice order.</summary>
    /// <exception cref="MedSegException">The selection needs masks and a case-day has none.</exception>
    public IReadOnlyList<SelectedSlice> Select(IEnumerable<UwCaseDay> caseDays)
    {
        var selected = new List<SelectedSlice>();
        foreach (var caseDay in caseDays)
        {
            var ambiguous = NeedsLabels ? AmbiguousSlices.Of(caseDay) : null;
            for (var i = 0; i < caseDay.Slices.Count; i++)
            {
                var flags = ambiguous?[i];
                if (Subset == SliceSubset.Annotated && !AnyAnnotated(caseDay.Slices[i]))
                {
                    continue;
                }
                var isAmbiguous = flags is not null && flags.Contains(true);
                if (isAmbiguous && Ambiguous == AmbiguousSlicePolicy.Drop)
                {
                    continue;
                }
                var ignored = isAmbiguous && Ambiguous == AmbiguousSlicePolicy.Ignore ? flags! : new bool[caseDay.Slices[i].Rles.Count];
                selected.Add(new SelectedSlice(caseDay, i, ignored));
            }
        }
        return selected;
    }

    private static bool AnyAnnotated(UwSlice slice)
    {
        for (var c = 0; c < slice.Rles.Count; c++)
        {
            if (AmbiguousSlices.IsAnnotated(slice, c))
            {
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"slices {Subset.ToString().ToLowerInvariant()}, ambiguous {Ambiguous.ToString().ToLowerInvariant()}";
}
