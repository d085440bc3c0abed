namespace MedSeg.Core.Sharding;

/// <summary>
/// One output unit of a prediction (a case-day's rows of a submission, or one label-map file) in the order an
/// unsharded run writes it: <see cref="Case"/> keeps a case's units in one shard, <see cref="Slices"/> balances them.
/// </summary>
public sealed record ShardItem(string Id, string Case, int Slices);
