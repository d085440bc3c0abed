using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Tests.Core.IO;
using static MedSeg.Tests.Core.Data.UwFolderBuilder;

namespace MedSeg.Tests.Core.Data;

/// <summary>
/// One hand-made case-day of 6 slices (3×5 pixels), two classes: stomach on slices 2–3 and small bowel on slice 4
/// (0-based). Ambiguous: stomach → slices 1 and 4; small bowel → slices 3 and 5.
/// </summary>
public sealed class SliceSelectionTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly UwCaseDay caseDay;

    public SliceSelectionTests()
    {
        var lines = new List<string> { "id,class,segmentation" };
        for (var i = 0; i < 6; i++)
        {
            AddImage(folder.Path, 1, 0, i + 1);
            var id = $"case1_day0_slice_{i + 1:D4}";
            lines.Add($"{id},stomach,{(i is 2 or 3 ? "1 2" : "")}");
            lines.Add($"{id},small_bowel,{(i == 4 ? "4 3" : "")}");
        }
        WriteCsv(folder.Path, [.. lines]);
        caseDay = UwMadisonDataset.Load(folder.Path).CaseDays.Single();
    }

    public void Dispose() => folder.Dispose();

    private int[] Indices(string slices, string ambiguous) =>
        SliceSelection.Parse(slices, ambiguous).Select([caseDay]).Select(s => s.Index).ToArray();

    [Fact]
    public void Ambiguous_slices_are_the_neighbours_outside_each_class_range()
    {
        var flags = AmbiguousSlices.Of(caseDay);
        bool[][] expected = [[false, false], [true, false], [false, false], [false, true], [true, false], [false, true]];
        Assert.Equal(expected, flags);
    }

    [Fact]
    public void All_and_keep_selects_every_slice_with_nothing_ignored()
    {
        var selected = SliceSelection.Default.Select([caseDay]);
        Assert.Equal([0, 1, 2, 3, 4, 5], selected.Select(s => s.Index));
        Assert.All(selected, s => Assert.False(s.IgnoreInLoss));
    }

    [Fact]
    public void Annotated_keeps_slices_with_any_positive_mask()
    {
        Assert.Equal([2, 3, 4], Indices("annotated", "keep"));
    }

    [Fact]
    public void Drop_removes_slices_ambiguous_for_any_class()
    {
        Assert.Equal([0, 2], Indices("all", "drop"));
        Assert.Equal([2], Indices("annotated", "drop"));
    }

    [Fact]
    public void Ignore_keeps_the_slices_and_flags_the_ambiguous_classes()
    {
        var selected = SliceSelection.Parse("all", "ignore").Select([caseDay]);
        Assert.Equal([0, 1, 2, 3, 4, 5], selected.Select(s => s.Index));
        Assert.Equal([false, true, false, true, true, true], selected.Select(s => s.IgnoreInLoss));
        Assert.Equal([false, true], selected[3].IgnoredClasses);
        Assert.Equal([true, false], selected[4].IgnoredClasses);
    }

    [Fact]
    public void An_organ_at_the_stack_end_has_no_ambiguous_slice_beyond_it()
    {
        using var edge = new TempFolder();
        WriteCsv(edge.Path, "id,class,segmentation", "case2_day1_slice_0001,stomach,1 1", "case2_day1_slice_0002,stomach,",
            "case2_day1_slice_0003,stomach,");
        for (var i = 1; i <= 3; i++)
        {
            AddImage(edge.Path, 2, 1, i);
        }
        var flags = AmbiguousSlices.Of(UwMadisonDataset.Load(edge.Path).CaseDays.Single());
        Assert.Equal([[false], [true], [false]], flags);
    }

    [Fact]
    public void Selecting_by_annotation_needs_labels()
    {
        using var test = new TempFolder();
        AddImage(test.Path, 3, 1, 1, split: "test");
        var unlabelled = UwMadisonDataset.Load(test.Path).CaseDays;
        Assert.Single(SliceSelection.Default.Select(unlabelled));
        var error = Assert.Throws<MedSegException>(() => SliceSelection.Parse("annotated", "keep").Select(unlabelled));
        Assert.Contains("case3_day1 has no masks", error.Message);
    }

    [Theory]
    [InlineData("some", "keep", "slices 'some' is not valid; use all or annotated.")]
    [InlineData("all", "skip", "ambiguous 'skip' is not valid; use keep, ignore or drop.")]
    public void Invalid_values_name_the_key_and_the_valid_ones(string slices, string ambiguous, string message)
    {
        Assert.Equal(message, Assert.Throws<MedSegException>(() => SliceSelection.Parse(slices, ambiguous)).Message);
    }
}
