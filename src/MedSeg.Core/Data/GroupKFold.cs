namespace MedSeg.Core.Data;

/// <summary>
/// K-fold cross-validation split that keeps every group (e.g. a case, so that days of one patient never sit on
/// both sides) in one fold, as scikit-learn's GroupKFold: groups are shuffled by the seed, then taken from the
/// largest to the smallest and each given to the fold with the fewest items so far.
/// </summary>
public static class GroupKFold
{
    /// <summary>
    /// Returns the fold index (0 ≤ fold &lt; <paramref name="folds"/>) of each item, given each item's group.
    /// The result depends only on the groups, <paramref name="folds"/> and <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="MedSegException">Fewer than 2 folds, or more folds than distinct groups.</exception>
    public static int[] AssignFolds(IReadOnlyList<string> groups, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (folds < 2)
        {
            throw new MedSegException($"Cross-validation needs at least 2 folds, but {folds} were asked for; use --folds 2 or more.");
        }
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var sizes = new List<int>();
        var itemGroup = new int[groups.Count];
        for (int i = 0; i < groups.Count; i++)
        {
            if (!groupIndex.TryGetValue(groups[i], out int g))
            {
                g = sizes.Count;
                groupIndex.Add(groups[i], g);
                sizes.Add(0);
            }
            sizes[g]++;
            itemGroup[i] = g;
        }
        if (folds > sizes.Count)
        {
            throw new MedSegException(
                $"Cannot split {sizes.Count} groups (cases) into {folds} folds, since a group never spans folds; use --folds {Math.Max(2, sizes.Count)} or fewer, or add data.");
        }

        int[] order = Enumerable.Range(0, sizes.Count).ToArray();
        new DeterministicRandom(seed).Shuffle(order.AsSpan());
        // A stable sort keeps the shuffled order among groups of equal size, so the seed decides ties.
        int[] bySize = order.OrderByDescending(g => sizes[g]).ToArray();

        var foldOfGroup = new int[sizes.Count];
        var load = new long[folds];
        foreach (int g in bySize)
        {
            int lightest = 0;
            for (int f = 1; f < folds; f++)
            {
                if (load[f] < load[lightest])
                {
                    lightest = f;
                }
            }
            foldOfGroup[g] = lightest;
            load[lightest] += sizes[g];
        }

        var result = new int[groups.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = foldOfGroup[itemGroup[i]];
        }
        return result;
    }
}
