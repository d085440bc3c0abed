using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Data;

public class GroupKFoldTests
{
    private static List<string> Groups(params int[] sizes) =>
        sizes.SelectMany((size, g) => Enumerable.Repeat($"case{g}", size)).ToList();

    [Fact]
    public void Never_splits_a_group_and_uses_every_fold()
    {
        var groups = Groups(5, 3, 8, 1, 1, 4, 6, 2, 7, 3);
        var folds = GroupKFold.AssignFolds(groups, 4, seed: 1);

        Assert.Equal(groups.Count, folds.Length);
        foreach (var group in groups.Select((g, i) => (g, i)).GroupBy(x => x.g))
        {
            Assert.Single(group.Select(x => folds[x.i]).Distinct());
        }
        Assert.Equal([0, 1, 2, 3], folds.Distinct().Order());
    }

    [Fact]
    public void Is_deterministic_per_seed_and_the_seed_matters()
    {
        var groups = Groups(Enumerable.Repeat(10, 12).ToArray());
        var first = GroupKFold.AssignFolds(groups, 3, seed: 7);

        Assert.Equal(first, GroupKFold.AssignFolds(groups, 3, seed: 7));
        Assert.Contains(Enumerable.Range(8, 5), seed => !GroupKFold.AssignFolds(groups, 3, seed).SequenceEqual(first));
    }

    [Fact]
    public void Balances_item_counts_greedily()
    {
        // Sizes 10, 9, ..., 1 (55 items) over 3 folds: largest first to the lightest fold gives 19, 18, 18.
        var groups = Groups(Enumerable.Range(1, 10).Reverse().ToArray());
        var folds = GroupKFold.AssignFolds(groups, 3, seed: 3);

        var loads = folds.GroupBy(f => f).Select(g => g.Count()).Order().ToArray();
        Assert.Equal([18, 18, 19], loads);
    }

    [Fact]
    public void Equal_groups_split_evenly()
    {
        var groups = Groups(Enumerable.Repeat(4, 10).ToArray());
        var loads = GroupKFold.AssignFolds(groups, 5, seed: 0).GroupBy(f => f).Select(g => g.Count());
        Assert.All(loads, load => Assert.Equal(8, load));
    }

    [Fact]
    public void Fewer_than_two_folds_is_an_error()
    {
        var error = Assert.Throws<MedSegException>(() => GroupKFold.AssignFolds(Groups(1, 1, 1), 1, 0));
        Assert.Contains("at least 2 folds", error.Message);
    }

    [Fact]
    public void More_folds_than_groups_is_an_error()
    {
        var error = Assert.Throws<MedSegException>(() => GroupKFold.AssignFolds(Groups(3, 3, 3), 5, 0));
        Assert.Contains("3 groups", error.Message);
        Assert.Contains("5 folds", error.Message);
    }
}
