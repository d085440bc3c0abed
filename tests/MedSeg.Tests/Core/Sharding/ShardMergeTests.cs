using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Sharding;

namespace MedSeg.Tests.Core.Sharding;

/// <summary><c>medseg merge</c> rebuilds the unsharded output byte for byte and refuses a missing, repeated or mismatched part with one error naming it.</summary>
public sealed class ShardMergeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-merge-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // Three case-days of cases 1, 2 and 3 with 2, 3 and 1 slices; one class.
    private static readonly (string CaseDay, int Slices)[] CaseDays = [("case1_day0", 2), ("case2_day3", 3), ("case3_day0", 1)];

    private static ShardItem[] Items => CaseDays.Select(c => new ShardItem(c.CaseDay, c.CaseDay[..5], c.Slices)).ToArray();

    private static SubmissionRow[] Rows(IEnumerable<string> caseDays) =>
        caseDays.SelectMany(id => Enumerable.Range(1, CaseDays.Single(c => c.CaseDay == id).Slices)
            .Select(s => new SubmissionRow($"{id}_slice_{s:D4}", "stomach", s % 2 == 0 ? "" : $"{s} 3"))).ToArray();

    /// <summary>Writes shard <paramref name="index"/> of <paramref name="count"/> as predict --shard does; returns its path.</summary>
    private string Part(int index, int count, string settings = "s", ShardItem[]? items = null)
    {
        var record = ShardPartition.Plan(items ?? Items, new Shard(index, count), ShardRecord.Submission, settings);
        var path = Path.Combine(root, $"part_{index}_of_{count}_{settings}.csv");
        record.Write(path);
        SubmissionCsv.Write(path, Rows(record.Items.Select(i => i.Id)));
        return path;
    }

    [Fact]
    public void PartsInAnyOrderMergeToTheUnshardedBytes()
    {
        var unsharded = Path.Combine(root, "unsharded.csv");
        SubmissionCsv.Write(unsharded, Rows(CaseDays.Select(c => c.CaseDay)));
        var merged = Path.Combine(root, "merged.csv");

        var rows = ShardMerge.Merge([Part(2, 3), Part(0, 3), Part(1, 3)], merged);

        Assert.Equal(6, rows);
        Assert.Equal(File.ReadAllBytes(unsharded), File.ReadAllBytes(merged));
    }

    [Fact]
    public void AMissingShardIsNamed()
    {
        var error = Assert.Throws<MedSegException>(() => ShardMerge.Merge([Part(0, 3), Part(2, 3)], Path.Combine(root, "m.csv"))).Message;
        Assert.Contains("shard 1/3 is missing", error);
        Assert.False(File.Exists(Path.Combine(root, "m.csv")));
    }

    [Fact]
    public void ARepeatedShardIsNamed()
    {
        var part = Part(0, 2);
        var copy = Path.Combine(root, "copy.csv");
        File.Copy(part, copy);
        File.Copy(ShardRecord.PathFor(part), ShardRecord.PathFor(copy));
        var error = Assert.Throws<MedSegException>(() => ShardMerge.Merge([part, Part(1, 2), copy], Path.Combine(root, "m.csv"))).Message;
        Assert.Contains($"{part} and {copy} are both shard 0/2", error);
    }

    [Fact]
    public void ShardsOfAnotherCountInputSetOrSettingsAreRefused()
    {
        var first = Part(0, 2);
        Assert.Contains("one of 3", Assert.Throws<MedSegException>(() => ShardMerge.Merge([first, Part(1, 3)], Path.Combine(root, "a.csv"))).Message);
        Assert.Contains("other models or options", Assert.Throws<MedSegException>(() => ShardMerge.Merge([first, Part(1, 2, "t")], Path.Combine(root, "b.csv"))).Message);
        var otherInputs = Part(1, 2, "s", [.. Items, new ShardItem("case4_day0", "case4", 5)]);
        var error = Assert.Throws<MedSegException>(() => ShardMerge.Merge([first, otherInputs], Path.Combine(root, "c.csv"))).Message;
        Assert.Contains(otherInputs, error);
        Assert.Contains("another input set", error);
    }

    [Fact]
    public void APartWithoutRecordOrARecordWithoutPartIsNamed()
    {
        var plain = Path.Combine(root, "plain.csv");
        SubmissionCsv.Write(plain, Rows(["case1_day0"]));
        Assert.Contains("has no shard record", Assert.Throws<MedSegException>(() => ShardMerge.Merge([plain], Path.Combine(root, "m.csv"))).Message);
        var unfinished = Part(1, 2);
        File.Delete(unfinished);
        Assert.Contains("shard 1/2", Assert.Throws<MedSegException>(() => ShardMerge.Merge([Part(0, 2), unfinished], Path.Combine(root, "m.csv"))).Message);
    }

    [Fact]
    public void AnExistingOutputIsNotOverwritten()
    {
        var existing = Path.Combine(root, "taken.csv");
        File.WriteAllText(existing, "mine");
        Assert.Contains("already exists", Assert.Throws<MedSegException>(() => ShardMerge.Merge([Part(0, 1)], existing)).Message);
        Assert.Equal("mine", File.ReadAllText(existing));
    }

    [Fact]
    public void FolderPartsMergeIntoOneFolderOfTheirFiles()
    {
        var items = new[] { new ShardItem("a.png", "a", 1), new ShardItem("b.png", "b", 1), new ShardItem("c.png", "c", 1) };
        var parts = Enumerable.Range(0, 2).Select(i =>
        {
            var record = ShardPartition.Plan(items, new Shard(i, 2), ShardRecord.Files, "s");
            var part = Path.Combine(root, $"p{i}");
            AtomicFolder.Write(part, folder =>
            {
                foreach (var entry in record.Items)
                {
                    File.WriteAllText(Path.Combine(folder, entry.Id), entry.Id);
                }
                record.Write(part);
                return 0;
            });
            return part;
        }).ToArray();
        var merged = Path.Combine(root, "merged");

        Assert.Equal(3, ShardMerge.Merge(parts, merged));
        Assert.Equal(["a.png", "b.png", "c.png"], Directory.EnumerateFiles(merged).Select(Path.GetFileName).Order());
        Assert.Equal("b.png", File.ReadAllText(Path.Combine(merged, "b.png")));
    }
}
