namespace MedSeg.Core.Sharding;

/// <summary>An output unit held by a shard and its place in the unsharded output (0-based).</summary>
public sealed record ShardEntry(string Id, int Position);
