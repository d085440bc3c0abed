using MedSeg.Core;
using MedSeg.Core.Sharding;

namespace MedSeg.Tests.Core.Sharding;

/// <summary>Shards cover every output unit once, keep a case together, balance slices by the LPT rule and are the same on every call.</summary>
public sealed class ShardPartitionTests
{
    // Five cases: case a has two case-days (10 + 4 slices), the rest one each.
    private static readonly ShardItem[] Items =
    [
        new("a_day0", "a", 10), new("b_day0", "b", 9), new("a_day1", "a", 4), new("c_day0", "c", 8), new("d_day0", "d", 2), new("e_day0", "e", 1),
    ];

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void ParsesIOfN(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void RefusesWhatIsNotIOfN(string text) =>
        Assert.Contains("0 <= I < N", Assert.Throws<MedSegException>(() => Shard.Parse(text)).Message);

    [Fact]
    public void EveryUnitIsInExactlyOneShardWithItsCase()
    {
        var records = Enumerable.Range(0, 3).Select(i => ShardPartition.Plan(Items, new Shard(i, 3), ShardRecord.Submission, "s")).ToArray();
        var positions = records.SelectMany(r => r.Items.Select(e => e.Position)).Order();
        Assert.Equal(Enumerable.Range(0, Items.Length), positions);
        Assert.Single(records, r => r.Holds("a_day0") && r.Holds("a_day1"));
        Assert.All(records, r => Assert.Equal(r.Items.OrderBy(e => e.Position), r.Items)); // units in output order
    }

    [Fact]
    public void CasesGoLargestFirstToTheLightestShard()
    {
        // By case: a 14, b 9, c 8, d 2, e 1. LPT over 2 shards: a→0 (14), b→1 (9), c→1 (17), d→0 (16), e→0 (17).
        var first = ShardPartition.Plan(Items, new Shard(0, 2), ShardRecord.Submission, "s");
        var second = ShardPartition.Plan(Items, new Shard(1, 2), ShardRecord.Submission, "s");
        Assert.Equal(["a_day0", "a_day1", "d_day0", "e_day0"], first.Items.Select(e => e.Id));
        Assert.Equal(["b_day0", "c_day0"], second.Items.Select(e => e.Id));
        Assert.Equal([0, 2, 4, 5], first.Items.Select(e => e.Position));
    }

    [Fact]
    public void TheSameInputsGiveTheSameRecordAndOtherInputsAnotherFingerprint()
    {
        var once = ShardPartition.Plan(Items, new Shard(1, 2), ShardRecord.Files, "s");
        var again = ShardPartition.Plan(Items.ToArray(), new Shard(1, 2), ShardRecord.Files, "s");
        Assert.Equal(once.Inputs, again.Inputs);
        Assert.Equal(once.Items, again.Items);
        var other = ShardPartition.Plan([.. Items[..^1], Items[^1] with { Slices = 2 }], new Shard(1, 2), ShardRecord.Files, "s");
        Assert.NotEqual(once.Inputs, other.Inputs);
    }

    [Fact]
    public void MoreShardsThanCasesLeavesSomeShardsEmpty()
    {
        var records = Enumerable.Range(0, 8).Select(i => ShardPartition.Plan(Items, new Shard(i, 8), ShardRecord.Files, "s")).ToArray();
        Assert.Equal(5, records.Count(r => r.Items.Count > 0));
        Assert.Equal(Items.Length, records.Sum(r => r.Items.Count));
    }
}
